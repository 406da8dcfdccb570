package io.inetkit.http.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteOutTest {

    @Test
    void variablesAndEscapesAsCurlPrintsThem() {
        TransferReport r = new TransferReport();
        r.httpCode = 200;
        r.sizeDownload = 24;
        r.httpVersion = "2";
        r.urlEffective = "https://h/x";
        r.timing().ended();
        String out = WriteOut.format("%{http_code} %{size_download} %{http_version} %{scheme} 100%%\\t%{url_effective}\\n", r);
        assertThat(out).isEqualTo("200 24 2 HTTPS 100%\thttps://h/x\n");
        assertThat(WriteOut.format("%{time_total}", r)).matches("\\d+\\.\\d{6}");
        assertThat(WriteOut.format("%{http_code}", new TransferReport())).isEqualTo("000");
    }

    @Test
    void unknownVariablesAreRefusedBeforeAnyTransfer() {
        assertThatThrownBy(() -> WriteOut.validate("%{http_cod}")).hasMessageStartingWith("-w: unknown variable %{http_cod}");
        assertThatThrownBy(() -> WriteOut.validate("%{http_code")).hasMessageContaining("unterminated");
    }
}
