package dev.pipedesk.emulator.calendar;

/**
 * Who is calling: a service account, possibly impersonating a Workspace user through
 * domain-wide delegation (DWD), or a plain user.
 *
 * @param email          the acting identity: the impersonated user with DWD, else the account itself
 * @param serviceAccount the caller authenticated as a service account (JWT bearer grant)
 * @param delegated      the service account impersonates a user ({@code sub} claim)
 */
record Identity(String email, boolean serviceAccount, boolean delegated) {

    /** Who a bearer token the emulator did not issue stands for. */
    static final Identity UNKNOWN_BEARER = new Identity("calendar-user@pipedesk.test", false, false);

    static Identity serviceAccount(String serviceAccountEmail, String subject) {
        boolean delegated = subject != null && !subject.isBlank();
        return new Identity(delegated ? subject : serviceAccountEmail, true, delegated);
    }

    static Identity user(String email) {
        return new Identity(email, false, false);
    }

    /** A service account acting as itself: Google restricts Meet and attendees for it. */
    boolean undelegatedServiceAccount() {
        return serviceAccount && !delegated;
    }
}
