package io.inetkit.it.docker;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Says, once per run, whether the container tests run: they skip where no Docker engine is reachable
 * ({@code @Testcontainers(disabledWithoutDocker = true)}), except where {@code INETKIT_REQUIRE_DOCKER=1} (CI:
 * {@code docker/ci-docker.sh up} exports it), where a missing engine fails the build instead of hiding the tests.
 */
class DockerEngineIT {

    @Test
    void aDockerEngineAnswersWhereTheContainerTestsMustRun() {
        boolean available = DockerClientFactory.instance().isDockerAvailable();
        if (!"1".equals(System.getenv("INETKIT_REQUIRE_DOCKER"))) {
            assumeTrue(available, "no Docker engine reachable: the container tests (ImageIT, ComposeDemoIT) are"
                    + " skipped; start one (docker/README.md, \"Tests\") to run them");
        }
        assertThat(available)
                .as("INETKIT_REQUIRE_DOCKER=1 but no Docker engine answers (docker/ci-docker.sh up starts one)")
                .isTrue();
        assertThat(DockerClientFactory.instance().getActiveApiVersion()).isNotBlank();
    }
}
