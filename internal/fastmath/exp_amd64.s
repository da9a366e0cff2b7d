//go:build amd64 && !purego

#include "textflag.h"

// Exp32's float32 constants, each broadcast to 16 lanes (64 bytes: the
// AVX2 loop reads the first 32), and the int32 127 and +Inf.
DATA exp_maxlog<>+0(SB)/4, $0x42b17218
DATA exp_maxlog<>+4(SB)/4, $0x42b17218
DATA exp_maxlog<>+8(SB)/4, $0x42b17218
DATA exp_maxlog<>+12(SB)/4, $0x42b17218
DATA exp_maxlog<>+16(SB)/4, $0x42b17218
DATA exp_maxlog<>+20(SB)/4, $0x42b17218
DATA exp_maxlog<>+24(SB)/4, $0x42b17218
DATA exp_maxlog<>+28(SB)/4, $0x42b17218
DATA exp_maxlog<>+32(SB)/4, $0x42b17218
DATA exp_maxlog<>+36(SB)/4, $0x42b17218
DATA exp_maxlog<>+40(SB)/4, $0x42b17218
DATA exp_maxlog<>+44(SB)/4, $0x42b17218
DATA exp_maxlog<>+48(SB)/4, $0x42b17218
DATA exp_maxlog<>+52(SB)/4, $0x42b17218
DATA exp_maxlog<>+56(SB)/4, $0x42b17218
DATA exp_maxlog<>+60(SB)/4, $0x42b17218
GLOBL exp_maxlog<>(SB), RODATA|NOPTR, $64
DATA exp_minlog<>+0(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+4(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+8(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+12(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+16(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+20(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+24(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+28(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+32(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+36(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+40(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+44(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+48(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+52(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+56(SB)/4, $0xc2cff1b5
DATA exp_minlog<>+60(SB)/4, $0xc2cff1b5
GLOBL exp_minlog<>(SB), RODATA|NOPTR, $64
DATA exp_log2e<>+0(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+4(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+8(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+12(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+16(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+20(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+24(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+28(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+32(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+36(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+40(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+44(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+48(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+52(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+56(SB)/4, $0x3fb8aa3b
DATA exp_log2e<>+60(SB)/4, $0x3fb8aa3b
GLOBL exp_log2e<>(SB), RODATA|NOPTR, $64
DATA exp_half<>+0(SB)/4, $0x3f000000
DATA exp_half<>+4(SB)/4, $0x3f000000
DATA exp_half<>+8(SB)/4, $0x3f000000
DATA exp_half<>+12(SB)/4, $0x3f000000
DATA exp_half<>+16(SB)/4, $0x3f000000
DATA exp_half<>+20(SB)/4, $0x3f000000
DATA exp_half<>+24(SB)/4, $0x3f000000
DATA exp_half<>+28(SB)/4, $0x3f000000
DATA exp_half<>+32(SB)/4, $0x3f000000
DATA exp_half<>+36(SB)/4, $0x3f000000
DATA exp_half<>+40(SB)/4, $0x3f000000
DATA exp_half<>+44(SB)/4, $0x3f000000
DATA exp_half<>+48(SB)/4, $0x3f000000
DATA exp_half<>+52(SB)/4, $0x3f000000
DATA exp_half<>+56(SB)/4, $0x3f000000
DATA exp_half<>+60(SB)/4, $0x3f000000
GLOBL exp_half<>(SB), RODATA|NOPTR, $64
DATA exp_c1<>+0(SB)/4, $0x3f318000
DATA exp_c1<>+4(SB)/4, $0x3f318000
DATA exp_c1<>+8(SB)/4, $0x3f318000
DATA exp_c1<>+12(SB)/4, $0x3f318000
DATA exp_c1<>+16(SB)/4, $0x3f318000
DATA exp_c1<>+20(SB)/4, $0x3f318000
DATA exp_c1<>+24(SB)/4, $0x3f318000
DATA exp_c1<>+28(SB)/4, $0x3f318000
DATA exp_c1<>+32(SB)/4, $0x3f318000
DATA exp_c1<>+36(SB)/4, $0x3f318000
DATA exp_c1<>+40(SB)/4, $0x3f318000
DATA exp_c1<>+44(SB)/4, $0x3f318000
DATA exp_c1<>+48(SB)/4, $0x3f318000
DATA exp_c1<>+52(SB)/4, $0x3f318000
DATA exp_c1<>+56(SB)/4, $0x3f318000
DATA exp_c1<>+60(SB)/4, $0x3f318000
GLOBL exp_c1<>(SB), RODATA|NOPTR, $64
DATA exp_c2<>+0(SB)/4, $0xb95e8083
DATA exp_c2<>+4(SB)/4, $0xb95e8083
DATA exp_c2<>+8(SB)/4, $0xb95e8083
DATA exp_c2<>+12(SB)/4, $0xb95e8083
DATA exp_c2<>+16(SB)/4, $0xb95e8083
DATA exp_c2<>+20(SB)/4, $0xb95e8083
DATA exp_c2<>+24(SB)/4, $0xb95e8083
DATA exp_c2<>+28(SB)/4, $0xb95e8083
DATA exp_c2<>+32(SB)/4, $0xb95e8083
DATA exp_c2<>+36(SB)/4, $0xb95e8083
DATA exp_c2<>+40(SB)/4, $0xb95e8083
DATA exp_c2<>+44(SB)/4, $0xb95e8083
DATA exp_c2<>+48(SB)/4, $0xb95e8083
DATA exp_c2<>+52(SB)/4, $0xb95e8083
DATA exp_c2<>+56(SB)/4, $0xb95e8083
DATA exp_c2<>+60(SB)/4, $0xb95e8083
GLOBL exp_c2<>(SB), RODATA|NOPTR, $64
DATA exp_one<>+0(SB)/4, $0x3f800000
DATA exp_one<>+4(SB)/4, $0x3f800000
DATA exp_one<>+8(SB)/4, $0x3f800000
DATA exp_one<>+12(SB)/4, $0x3f800000
DATA exp_one<>+16(SB)/4, $0x3f800000
DATA exp_one<>+20(SB)/4, $0x3f800000
DATA exp_one<>+24(SB)/4, $0x3f800000
DATA exp_one<>+28(SB)/4, $0x3f800000
DATA exp_one<>+32(SB)/4, $0x3f800000
DATA exp_one<>+36(SB)/4, $0x3f800000
DATA exp_one<>+40(SB)/4, $0x3f800000
DATA exp_one<>+44(SB)/4, $0x3f800000
DATA exp_one<>+48(SB)/4, $0x3f800000
DATA exp_one<>+52(SB)/4, $0x3f800000
DATA exp_one<>+56(SB)/4, $0x3f800000
DATA exp_one<>+60(SB)/4, $0x3f800000
GLOBL exp_one<>(SB), RODATA|NOPTR, $64
DATA exp_p0<>+0(SB)/4, $0x39506967
DATA exp_p0<>+4(SB)/4, $0x39506967
DATA exp_p0<>+8(SB)/4, $0x39506967
DATA exp_p0<>+12(SB)/4, $0x39506967
DATA exp_p0<>+16(SB)/4, $0x39506967
DATA exp_p0<>+20(SB)/4, $0x39506967
DATA exp_p0<>+24(SB)/4, $0x39506967
DATA exp_p0<>+28(SB)/4, $0x39506967
DATA exp_p0<>+32(SB)/4, $0x39506967
DATA exp_p0<>+36(SB)/4, $0x39506967
DATA exp_p0<>+40(SB)/4, $0x39506967
DATA exp_p0<>+44(SB)/4, $0x39506967
DATA exp_p0<>+48(SB)/4, $0x39506967
DATA exp_p0<>+52(SB)/4, $0x39506967
DATA exp_p0<>+56(SB)/4, $0x39506967
DATA exp_p0<>+60(SB)/4, $0x39506967
GLOBL exp_p0<>(SB), RODATA|NOPTR, $64
DATA exp_p1<>+0(SB)/4, $0x3ab743ce
DATA exp_p1<>+4(SB)/4, $0x3ab743ce
DATA exp_p1<>+8(SB)/4, $0x3ab743ce
DATA exp_p1<>+12(SB)/4, $0x3ab743ce
DATA exp_p1<>+16(SB)/4, $0x3ab743ce
DATA exp_p1<>+20(SB)/4, $0x3ab743ce
DATA exp_p1<>+24(SB)/4, $0x3ab743ce
DATA exp_p1<>+28(SB)/4, $0x3ab743ce
DATA exp_p1<>+32(SB)/4, $0x3ab743ce
DATA exp_p1<>+36(SB)/4, $0x3ab743ce
DATA exp_p1<>+40(SB)/4, $0x3ab743ce
DATA exp_p1<>+44(SB)/4, $0x3ab743ce
DATA exp_p1<>+48(SB)/4, $0x3ab743ce
DATA exp_p1<>+52(SB)/4, $0x3ab743ce
DATA exp_p1<>+56(SB)/4, $0x3ab743ce
DATA exp_p1<>+60(SB)/4, $0x3ab743ce
GLOBL exp_p1<>(SB), RODATA|NOPTR, $64
DATA exp_p2<>+0(SB)/4, $0x3c088908
DATA exp_p2<>+4(SB)/4, $0x3c088908
DATA exp_p2<>+8(SB)/4, $0x3c088908
DATA exp_p2<>+12(SB)/4, $0x3c088908
DATA exp_p2<>+16(SB)/4, $0x3c088908
DATA exp_p2<>+20(SB)/4, $0x3c088908
DATA exp_p2<>+24(SB)/4, $0x3c088908
DATA exp_p2<>+28(SB)/4, $0x3c088908
DATA exp_p2<>+32(SB)/4, $0x3c088908
DATA exp_p2<>+36(SB)/4, $0x3c088908
DATA exp_p2<>+40(SB)/4, $0x3c088908
DATA exp_p2<>+44(SB)/4, $0x3c088908
DATA exp_p2<>+48(SB)/4, $0x3c088908
DATA exp_p2<>+52(SB)/4, $0x3c088908
DATA exp_p2<>+56(SB)/4, $0x3c088908
DATA exp_p2<>+60(SB)/4, $0x3c088908
GLOBL exp_p2<>(SB), RODATA|NOPTR, $64
DATA exp_p3<>+0(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+4(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+8(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+12(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+16(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+20(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+24(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+28(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+32(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+36(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+40(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+44(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+48(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+52(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+56(SB)/4, $0x3d2aa9c1
DATA exp_p3<>+60(SB)/4, $0x3d2aa9c1
GLOBL exp_p3<>(SB), RODATA|NOPTR, $64
DATA exp_p4<>+0(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+4(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+8(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+12(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+16(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+20(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+24(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+28(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+32(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+36(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+40(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+44(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+48(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+52(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+56(SB)/4, $0x3e2aaaaa
DATA exp_p4<>+60(SB)/4, $0x3e2aaaaa
GLOBL exp_p4<>(SB), RODATA|NOPTR, $64
DATA exp_p5<>+0(SB)/4, $0x3f000000
DATA exp_p5<>+4(SB)/4, $0x3f000000
DATA exp_p5<>+8(SB)/4, $0x3f000000
DATA exp_p5<>+12(SB)/4, $0x3f000000
DATA exp_p5<>+16(SB)/4, $0x3f000000
DATA exp_p5<>+20(SB)/4, $0x3f000000
DATA exp_p5<>+24(SB)/4, $0x3f000000
DATA exp_p5<>+28(SB)/4, $0x3f000000
DATA exp_p5<>+32(SB)/4, $0x3f000000
DATA exp_p5<>+36(SB)/4, $0x3f000000
DATA exp_p5<>+40(SB)/4, $0x3f000000
DATA exp_p5<>+44(SB)/4, $0x3f000000
DATA exp_p5<>+48(SB)/4, $0x3f000000
DATA exp_p5<>+52(SB)/4, $0x3f000000
DATA exp_p5<>+56(SB)/4, $0x3f000000
DATA exp_p5<>+60(SB)/4, $0x3f000000
GLOBL exp_p5<>(SB), RODATA|NOPTR, $64
DATA exp_bias<>+0(SB)/4, $0x0000007f
DATA exp_bias<>+4(SB)/4, $0x0000007f
DATA exp_bias<>+8(SB)/4, $0x0000007f
DATA exp_bias<>+12(SB)/4, $0x0000007f
DATA exp_bias<>+16(SB)/4, $0x0000007f
DATA exp_bias<>+20(SB)/4, $0x0000007f
DATA exp_bias<>+24(SB)/4, $0x0000007f
DATA exp_bias<>+28(SB)/4, $0x0000007f
DATA exp_bias<>+32(SB)/4, $0x0000007f
DATA exp_bias<>+36(SB)/4, $0x0000007f
DATA exp_bias<>+40(SB)/4, $0x0000007f
DATA exp_bias<>+44(SB)/4, $0x0000007f
DATA exp_bias<>+48(SB)/4, $0x0000007f
DATA exp_bias<>+52(SB)/4, $0x0000007f
DATA exp_bias<>+56(SB)/4, $0x0000007f
DATA exp_bias<>+60(SB)/4, $0x0000007f
GLOBL exp_bias<>(SB), RODATA|NOPTR, $64
DATA exp_inf<>+0(SB)/4, $0x7f800000
DATA exp_inf<>+4(SB)/4, $0x7f800000
DATA exp_inf<>+8(SB)/4, $0x7f800000
DATA exp_inf<>+12(SB)/4, $0x7f800000
DATA exp_inf<>+16(SB)/4, $0x7f800000
DATA exp_inf<>+20(SB)/4, $0x7f800000
DATA exp_inf<>+24(SB)/4, $0x7f800000
DATA exp_inf<>+28(SB)/4, $0x7f800000
DATA exp_inf<>+32(SB)/4, $0x7f800000
DATA exp_inf<>+36(SB)/4, $0x7f800000
DATA exp_inf<>+40(SB)/4, $0x7f800000
DATA exp_inf<>+44(SB)/4, $0x7f800000
DATA exp_inf<>+48(SB)/4, $0x7f800000
DATA exp_inf<>+52(SB)/4, $0x7f800000
DATA exp_inf<>+56(SB)/4, $0x7f800000
DATA exp_inf<>+60(SB)/4, $0x7f800000
GLOBL exp_inf<>(SB), RODATA|NOPTR, $64

// func exp32AVX2(x, y []float32): y[i] = Exp32(x[i]) for len(x) a multiple
// of 8 (y at least as long), with the same results: Exp32's operations in
// the same order, without FMA, the scaling by 2^n done as 2^(n>>1) times
// 2^(n-n>>1) (exact where the result is normal, one rounding where it is
// not, as Exp32's Ldexp then conversion).
TEXT ·exp32AVX2(SB), NOSPLIT, $0-48
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	SHRQ $3, CX
	JZ   done8
	VMOVUPS exp_maxlog<>(SB), Y15
	VMOVUPS exp_minlog<>(SB), Y14
	VMOVUPS exp_log2e<>(SB), Y13
	VMOVUPS exp_half<>(SB), Y12
	VMOVUPS exp_c1<>(SB), Y11
	VMOVUPS exp_c2<>(SB), Y10
	VMOVUPS exp_one<>(SB), Y9
	VMOVUPS exp_bias<>(SB), Y8

loop8:
	VMOVUPS (SI), Y0
	VMAXPS  Y14, Y0, Y1 // x clamped to [minlog, maxlog]
	VMINPS  Y15, Y1, Y1
	VMULPS  Y13, Y1, Y2
	VADDPS  Y12, Y2, Y2
	VROUNDPS $9, Y2, Y2 // z = floor(log2e·x + 0.5)
	VMULPS  Y11, Y2, Y3
	VSUBPS  Y3, Y1, Y1  // x -= z·c1
	VMULPS  Y10, Y2, Y3
	VSUBPS  Y3, Y1, Y1  // x -= z·c2
	VMULPS  Y1, Y1, Y4  // x2
	VMOVUPS exp_p0<>(SB), Y5
	VMULPS  Y1, Y5, Y5
	VADDPS  exp_p1<>(SB), Y5, Y5
	VMULPS  Y1, Y5, Y5
	VADDPS  exp_p2<>(SB), Y5, Y5
	VMULPS  Y1, Y5, Y5
	VADDPS  exp_p3<>(SB), Y5, Y5
	VMULPS  Y1, Y5, Y5
	VADDPS  exp_p4<>(SB), Y5, Y5
	VMULPS  Y1, Y5, Y5
	VADDPS  exp_p5<>(SB), Y5, Y5
	VMULPS  Y4, Y5, Y5
	VADDPS  Y1, Y5, Y5
	VADDPS  Y9, Y5, Y5  // p = p·x2 + x + 1
	VCVTTPS2DQ Y2, Y6   // n
	VPSRAD  $1, Y6, Y7  // n1 = n>>1
	VPSUBD  Y7, Y6, Y6  // n2 = n - n1
	VPADDD  Y8, Y7, Y7
	VPSLLD  $23, Y7, Y7 // 2^n1
	VPADDD  Y8, Y6, Y6
	VPSLLD  $23, Y6, Y6 // 2^n2
	VMULPS  Y7, Y5, Y5
	VMULPS  Y6, Y5, Y5
	VCMPPS  $14, Y15, Y0, Y3 // x > maxlog: +Inf
	VBLENDVPS Y3, exp_inf<>(SB), Y5, Y5
	VCMPPS  $1, Y14, Y0, Y3  // x < minlog: 0
	VANDNPS Y5, Y3, Y5
	VCMPPS  $3, Y0, Y0, Y3   // NaN: x
	VBLENDVPS Y3, Y0, Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop8
	VZEROUPPER

done8:
	RET

// func exp32AVX512(x, y []float32): exp32AVX2 16 lanes at a time, for
// len(x) a multiple of 16, with the same results.
TEXT ·exp32AVX512(SB), NOSPLIT, $0-48
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	SHRQ $4, CX
	JZ   done16
	VMOVUPS exp_maxlog<>(SB), Z31
	VMOVUPS exp_minlog<>(SB), Z30
	VMOVUPS exp_log2e<>(SB), Z29
	VMOVUPS exp_half<>(SB), Z28
	VMOVUPS exp_c1<>(SB), Z27
	VMOVUPS exp_c2<>(SB), Z26
	VMOVUPS exp_one<>(SB), Z25
	VMOVUPS exp_bias<>(SB), Z24
	VMOVUPS exp_p5<>(SB), Z23
	VMOVUPS exp_p4<>(SB), Z22
	VMOVUPS exp_p3<>(SB), Z21
	VMOVUPS exp_p2<>(SB), Z20
	VMOVUPS exp_p1<>(SB), Z19
	VMOVUPS exp_p0<>(SB), Z18
	VMOVUPS exp_inf<>(SB), Z17
	VPXORD  Z16, Z16, Z16

loop16:
	VMOVUPS (SI), Z0
	VMAXPS  Z30, Z0, Z1
	VMINPS  Z31, Z1, Z1
	VMULPS  Z29, Z1, Z2
	VADDPS  Z28, Z2, Z2
	VRNDSCALEPS $9, Z2, Z2
	VMULPS  Z27, Z2, Z3
	VSUBPS  Z3, Z1, Z1
	VMULPS  Z26, Z2, Z3
	VSUBPS  Z3, Z1, Z1
	VMULPS  Z1, Z1, Z4
	VMULPS  Z1, Z18, Z5
	VADDPS  Z19, Z5, Z5
	VMULPS  Z1, Z5, Z5
	VADDPS  Z20, Z5, Z5
	VMULPS  Z1, Z5, Z5
	VADDPS  Z21, Z5, Z5
	VMULPS  Z1, Z5, Z5
	VADDPS  Z22, Z5, Z5
	VMULPS  Z1, Z5, Z5
	VADDPS  Z23, Z5, Z5
	VMULPS  Z4, Z5, Z5
	VADDPS  Z1, Z5, Z5
	VADDPS  Z25, Z5, Z5
	VCVTTPS2DQ Z2, Z6
	VPSRAD  $1, Z6, Z7
	VPSUBD  Z7, Z6, Z6
	VPADDD  Z24, Z7, Z7
	VPSLLD  $23, Z7, Z7
	VPADDD  Z24, Z6, Z6
	VPSLLD  $23, Z6, Z6
	VMULPS  Z7, Z5, Z5
	VMULPS  Z6, Z5, Z5
	VCMPPS  $14, Z31, Z0, K1
	VMOVAPS Z17, K1, Z5
	VCMPPS  $1, Z30, Z0, K2
	VMOVAPS Z16, K2, Z5
	VCMPPS  $3, Z0, Z0, K3
	VMOVAPS Z0, K3, Z5
	VMOVUPS Z5, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop16
	VZEROUPPER

done16:
	RET

// func cpuid(eax, ecx uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eax+0(FP), AX
	MOVL ecx+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv() uint32: the low half of XCR0 (OSXSAVE must be set).
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	XORL CX, CX
	BYTE $0x0f; BYTE $0x01; BYTE $0xd0 // XGETBV
	MOVL AX, ret+0(FP)
	RET
