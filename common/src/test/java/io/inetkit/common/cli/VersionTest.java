package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class VersionTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void oneLineWithTheCommitAndItsDate() {
        assertThat(Version.line(props("version", "0.1.0", "commit", "50ea54a", "commit.date", "2026-12-02",
                "dirty", "false"))).isEqualTo("inetkit 0.1.0 (commit 50ea54a, 2026-12-02)");
    }

    @Test
    void uncommittedChangesAreSaid() {
        assertThat(Version.line(props("version", "0.1.0", "commit", "50ea54a", "commit.date", "2026-12-02",
                "dirty", "true"))).isEqualTo("inetkit 0.1.0 (commit 50ea54a-dirty, 2026-12-02)");
    }

    @Test
    void aBuildWithoutGitLeavesThePlaceholdersAndNamesNoCommit() {
        assertThat(Version.line(props("version", "0.1.0", "commit", "${git.commit.id.abbrev}",
                "commit.date", "${git.commit.time}", "dirty", "${git.dirty}"))).isEqualTo("inetkit 0.1.0");
    }

    @Test
    void theBuildFilledInTheProjectVersion() {
        assertThat(Version.line()).matches("inetkit \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]{7,}(-dirty)?, "
                + "\\d{4}-\\d{2}-\\d{2}\\))?");
    }
}
