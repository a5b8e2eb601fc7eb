package dev.forkguard.probe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NativeFrameResolverTest {

    private static byte[] tail(int... bytes) {
        byte[] b = new byte[8];
        for (int i = 0; i < bytes.length; i++) {
            b[8 - bytes.length + i] = (byte) bytes[i];
        }
        return b;
    }

    @Test
    void recognisesTheCallsCompilersEmit() {
        assertThat(NativeFrameResolver.endsWithCall(tail(0xe8, 0x10, 0x20, 0x30, 0x40))).as("call rel32").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0xd0))).as("call *%rax").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0x41, 0xff, 0xd4))).as("call *%r12").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0x15, 1, 2, 3, 4))).as("call *rel(%rip)").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0x50, 0x08))).as("call *8(%rax)").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0x14, 0x24))).as("call *(%rsp)").isTrue();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0x94, 0xc3, 1, 2, 3, 4))).as("call *d32(%rbx,%rax,8)")
                .isTrue();
    }

    @Test
    void rejectsWhatIsNotACallEndingThere() {
        assertThat(NativeFrameResolver.endsWithCall(tail(0x90, 0x90, 0x90))).as("nops").isFalse();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0xe0))).as("jmp *%rax (FF /4)").isFalse();
        assertThat(NativeFrameResolver.endsWithCall(tail(0xff, 0x15, 1, 2, 3))).as("call cut short").isFalse();
    }

    @Test
    void keepsOnlyReadableExecutableFileMappings() {
        String maps = String.join("\n",
                "55d0c0a00000-55d0c0a01000 r--p 00000000 fe:01 123 /usr/bin/python3.11",
                "55d0c0a01000-55d0c0d00000 r-xp 00001000 fe:01 123 /usr/bin/python3.11",
                "7f0000000000-7f0000100000 rwxp 00000000 00:00 0 ",
                "7f1000000000-7f1000200000 r-xp 00028000 fe:01 456 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f2000000000-7f2000001000 --xp 00000000 fe:01 789 /opt/execonly.so",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]");

        List<NativeFrameResolver.Mapping> code = NativeFrameResolver.executableMappings(maps);

        assertThat(code).extracting(NativeFrameResolver.Mapping::path)
                .containsExactly("/usr/bin/python3.11", "/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(code.get(1).fileOffset()).isEqualTo(0x28000);
    }
}
