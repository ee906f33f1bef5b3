package dev.pipedesk.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.constructs.IConstruct;

import java.util.List;

/**
 * cdk-nag AwsSolutions suppressions: each on the one construct it concerns (and its children),
 * for one rule, optionally one finding of it, always with the reason.
 */
final class Nag {

    private Nag() {
    }

    static void suppress(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).build()), true);
    }

    static void suppress(IConstruct construct, String rule, String finding, String reason) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(rule).appliesTo(List.of(finding)).reason(reason).build()), true);
    }
}
