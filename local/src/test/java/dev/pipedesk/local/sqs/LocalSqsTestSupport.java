package dev.pipedesk.local.sqs;

/** What tests against a {@link LocalSqs} shared by a test class do before each test. */
final class LocalSqsTestSupport {
    private LocalSqsTestSupport() {
    }

    /** Brings SQS (back) up, in case the previous test stopped it, and purges both queues. */
    static void startWithEmptyQueues(LocalSqs sqs) {
        sqs.start();
        sqs.client().purgeQueue(r -> r.queueUrl(sqs.auditQueueUrl()));
        sqs.client().purgeQueue(r -> r.queueUrl(sqs.deadLetterQueueUrl()));
    }
}
