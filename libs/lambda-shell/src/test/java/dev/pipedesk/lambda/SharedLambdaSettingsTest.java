package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@code pipedesk-lambda.properties} takes effect in a context whose application.properties
 * imports it, as each function's does (this module's test application.properties does the same).
 */
class SharedLambdaSettingsTest {
    private static boolean expensiveBeanCreated;

    @SpringBootConfiguration
    static class Function {
        @Bean
        Object expensive() {
            expensiveBeanCreated = true;
            return new Object();
        }
    }

    @Test
    void quietLazyContextWithoutBannerOrWebServer() {
        SpringApplication application = new SpringApplication(Function.class);
        try (ConfigurableApplicationContext context = application.run()) {
            var environment = context.getEnvironment();

            assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
            assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
            assertThat(environment.getProperty("spring.cloud.function.scan.enabled")).isEqualTo("false");
            assertThat(expensiveBeanCreated).as("beans are created when first needed").isFalse();
            var adapterLog = LoggerFactory.getLogger("org.springframework.cloud.function.adapter.aws.AWSLambdaUtils");
            assertThat(adapterLog.isInfoEnabled()).as("the AWS adapter logs no events at INFO").isFalse();
            assertThat(adapterLog.isWarnEnabled()).isTrue();
        }
    }
}
