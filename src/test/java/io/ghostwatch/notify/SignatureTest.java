package io.ghostwatch.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureTest {

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b's3cret',
        //   b'1764110000.{\"a\":1}', hashlib.sha256).hexdigest())"
        assertThat(Signature.sign("s3cret", 1_764_110_000L, "{\"a\":1}"))
                .isEqualTo("sha256=4ca8d6390dbedef00163c59035cc975a53b5b8b31f6072c3a92714bac8cf29b9");
    }

    @Test
    void anyChangeToBodyTimestampOrSecretChangesTheSignature() {
        String base = Signature.sign("s3cret", 1_764_110_000L, "{\"a\":1}");

        assertThat(Signature.sign("s3cret", 1_764_110_000L, "{\"a\":2}")).isNotEqualTo(base);
        assertThat(Signature.sign("s3cret", 1_764_110_001L, "{\"a\":1}")).isNotEqualTo(base);
        assertThat(Signature.sign("other", 1_764_110_000L, "{\"a\":1}")).isNotEqualTo(base);
    }
}
