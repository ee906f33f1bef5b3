package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashesTest {

    @Test
    void sha256HexIsTheStandardDigestOfTheUtf8Text() {
        assertThat(Hashes.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hashes.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void sha256IsThirtyTwoBytesOfTheSameDigest() {
        byte[] digest = Hashes.sha256("abc");

        assertThat(digest).hasSize(32);
        assertThat(java.util.HexFormat.of().formatHex(digest)).isEqualTo(Hashes.sha256Hex("abc"));
    }

    @Test
    void theDigestOfBytesIsTheStandardDigest() {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};

        assertThat(java.util.HexFormat.of().formatHex(Hashes.sha256("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hashes.sha256(bytes)).hasSize(32).isNotEqualTo(Hashes.sha256(new String(bytes,
                java.nio.charset.StandardCharsets.ISO_8859_1)));
    }
}
