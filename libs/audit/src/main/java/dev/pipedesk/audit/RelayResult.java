package dev.pipedesk.audit;

/**
 * What one relay pass did.
 *
 * @param sent      rows the queue accepted (and which were deleted from the outbox)
 * @param failed    rows the queue did not accept; they were backed off
 * @param remaining rows still due after this pass (another pass would pick them up, unless
 *                  another relay holds them right now)
 */
public record RelayResult(int sent, int failed, int remaining) {
}
