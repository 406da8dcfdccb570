package io.inetkit.server.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Router#segments}: how a path names its endpoint and that endpoint's arguments. */
class RouterTest {

    @Test
    void splitsOnRunsOfSlashesAndIgnoresTheEnds() {
        assertThat(Router.segments("/status/418")).containsExactly("status", "418");
        assertThat(Router.segments("//status//418/")).containsExactly("status", "418");
        assertThat(Router.segments("/anything/a/b/c")).containsExactly("anything", "a", "b", "c");
        assertThat(Router.segments("/")).containsExactly("");
        assertThat(Router.segments("")).containsExactly("");
        assertThat(Router.segments("///")).containsExactly("");
        assertThat(Router.segments("ip")).containsExactly("ip");
    }

    /** The definition it replaces, a regular expression per request, on any path of slashes and letters. */
    @Property(tries = 2000)
    void agreesWithTheRegularExpression(@ForAll("paths") String path) {
        List<String> expected = List.of(path.replaceAll("^/+|/+$", "").split("/+", -1));
        assertThat(Router.segments(path)).as(path).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().withChars('/', 'a', 'b', '%', '.', ' ').ofMaxLength(12);
    }
}
