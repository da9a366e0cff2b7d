//go:build amd64 && !purego

#include "textflag.h"

// Generated constants: each float32 of Tanh32 broadcast to 8 lanes.
DATA tanh_clamp<>+0(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+4(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+8(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+12(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+16(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+20(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+24(SB)/4, $0x40fcf84f
DATA tanh_clamp<>+28(SB)/4, $0x40fcf84f
GLOBL tanh_clamp<>(SB), RODATA|NOPTR, $32
DATA tanh_nclamp<>+0(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+4(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+8(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+12(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+16(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+20(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+24(SB)/4, $0xc0fcf84f
DATA tanh_nclamp<>+28(SB)/4, $0xc0fcf84f
GLOBL tanh_nclamp<>(SB), RODATA|NOPTR, $32
DATA tanh_small<>+0(SB)/4, $0x39d1b717
DATA tanh_small<>+4(SB)/4, $0x39d1b717
DATA tanh_small<>+8(SB)/4, $0x39d1b717
DATA tanh_small<>+12(SB)/4, $0x39d1b717
DATA tanh_small<>+16(SB)/4, $0x39d1b717
DATA tanh_small<>+20(SB)/4, $0x39d1b717
DATA tanh_small<>+24(SB)/4, $0x39d1b717
DATA tanh_small<>+28(SB)/4, $0x39d1b717
GLOBL tanh_small<>(SB), RODATA|NOPTR, $32
DATA tanh_a1<>+0(SB)/4, $0x3ba059dc
DATA tanh_a1<>+4(SB)/4, $0x3ba059dc
DATA tanh_a1<>+8(SB)/4, $0x3ba059dc
DATA tanh_a1<>+12(SB)/4, $0x3ba059dc
DATA tanh_a1<>+16(SB)/4, $0x3ba059dc
DATA tanh_a1<>+20(SB)/4, $0x3ba059dc
DATA tanh_a1<>+24(SB)/4, $0x3ba059dc
DATA tanh_a1<>+28(SB)/4, $0x3ba059dc
GLOBL tanh_a1<>(SB), RODATA|NOPTR, $32
DATA tanh_a3<>+0(SB)/4, $0x3a270ded
DATA tanh_a3<>+4(SB)/4, $0x3a270ded
DATA tanh_a3<>+8(SB)/4, $0x3a270ded
DATA tanh_a3<>+12(SB)/4, $0x3a270ded
DATA tanh_a3<>+16(SB)/4, $0x3a270ded
DATA tanh_a3<>+20(SB)/4, $0x3a270ded
DATA tanh_a3<>+24(SB)/4, $0x3a270ded
DATA tanh_a3<>+28(SB)/4, $0x3a270ded
GLOBL tanh_a3<>(SB), RODATA|NOPTR, $32
DATA tanh_a5<>+0(SB)/4, $0x3779434a
DATA tanh_a5<>+4(SB)/4, $0x3779434a
DATA tanh_a5<>+8(SB)/4, $0x3779434a
DATA tanh_a5<>+12(SB)/4, $0x3779434a
DATA tanh_a5<>+16(SB)/4, $0x3779434a
DATA tanh_a5<>+20(SB)/4, $0x3779434a
DATA tanh_a5<>+24(SB)/4, $0x3779434a
DATA tanh_a5<>+28(SB)/4, $0x3779434a
GLOBL tanh_a5<>(SB), RODATA|NOPTR, $32
DATA tanh_a7<>+0(SB)/4, $0x335c0041
DATA tanh_a7<>+4(SB)/4, $0x335c0041
DATA tanh_a7<>+8(SB)/4, $0x335c0041
DATA tanh_a7<>+12(SB)/4, $0x335c0041
DATA tanh_a7<>+16(SB)/4, $0x335c0041
DATA tanh_a7<>+20(SB)/4, $0x335c0041
DATA tanh_a7<>+24(SB)/4, $0x335c0041
DATA tanh_a7<>+28(SB)/4, $0x335c0041
GLOBL tanh_a7<>(SB), RODATA|NOPTR, $32
DATA tanh_a9<>+0(SB)/4, $0xaebd37ff
DATA tanh_a9<>+4(SB)/4, $0xaebd37ff
DATA tanh_a9<>+8(SB)/4, $0xaebd37ff
DATA tanh_a9<>+12(SB)/4, $0xaebd37ff
DATA tanh_a9<>+16(SB)/4, $0xaebd37ff
DATA tanh_a9<>+20(SB)/4, $0xaebd37ff
DATA tanh_a9<>+24(SB)/4, $0xaebd37ff
DATA tanh_a9<>+28(SB)/4, $0xaebd37ff
GLOBL tanh_a9<>(SB), RODATA|NOPTR, $32
DATA tanh_a11<>+0(SB)/4, $0x2a61337e
DATA tanh_a11<>+4(SB)/4, $0x2a61337e
DATA tanh_a11<>+8(SB)/4, $0x2a61337e
DATA tanh_a11<>+12(SB)/4, $0x2a61337e
DATA tanh_a11<>+16(SB)/4, $0x2a61337e
DATA tanh_a11<>+20(SB)/4, $0x2a61337e
DATA tanh_a11<>+24(SB)/4, $0x2a61337e
DATA tanh_a11<>+28(SB)/4, $0x2a61337e
GLOBL tanh_a11<>(SB), RODATA|NOPTR, $32
DATA tanh_a13<>+0(SB)/4, $0xa59f25c0
DATA tanh_a13<>+4(SB)/4, $0xa59f25c0
DATA tanh_a13<>+8(SB)/4, $0xa59f25c0
DATA tanh_a13<>+12(SB)/4, $0xa59f25c0
DATA tanh_a13<>+16(SB)/4, $0xa59f25c0
DATA tanh_a13<>+20(SB)/4, $0xa59f25c0
DATA tanh_a13<>+24(SB)/4, $0xa59f25c0
DATA tanh_a13<>+28(SB)/4, $0xa59f25c0
GLOBL tanh_a13<>(SB), RODATA|NOPTR, $32
DATA tanh_b0<>+0(SB)/4, $0x3ba059dd
DATA tanh_b0<>+4(SB)/4, $0x3ba059dd
DATA tanh_b0<>+8(SB)/4, $0x3ba059dd
DATA tanh_b0<>+12(SB)/4, $0x3ba059dd
DATA tanh_b0<>+16(SB)/4, $0x3ba059dd
DATA tanh_b0<>+20(SB)/4, $0x3ba059dd
DATA tanh_b0<>+24(SB)/4, $0x3ba059dd
DATA tanh_b0<>+28(SB)/4, $0x3ba059dd
GLOBL tanh_b0<>(SB), RODATA|NOPTR, $32
DATA tanh_b2<>+0(SB)/4, $0x3b14aa05
DATA tanh_b2<>+4(SB)/4, $0x3b14aa05
DATA tanh_b2<>+8(SB)/4, $0x3b14aa05
DATA tanh_b2<>+12(SB)/4, $0x3b14aa05
DATA tanh_b2<>+16(SB)/4, $0x3b14aa05
DATA tanh_b2<>+20(SB)/4, $0x3b14aa05
DATA tanh_b2<>+24(SB)/4, $0x3b14aa05
DATA tanh_b2<>+28(SB)/4, $0x3b14aa05
GLOBL tanh_b2<>(SB), RODATA|NOPTR, $32
DATA tanh_b4<>+0(SB)/4, $0x38f895d6
DATA tanh_b4<>+4(SB)/4, $0x38f895d6
DATA tanh_b4<>+8(SB)/4, $0x38f895d6
DATA tanh_b4<>+12(SB)/4, $0x38f895d6
DATA tanh_b4<>+16(SB)/4, $0x38f895d6
DATA tanh_b4<>+20(SB)/4, $0x38f895d6
DATA tanh_b4<>+24(SB)/4, $0x38f895d6
DATA tanh_b4<>+28(SB)/4, $0x38f895d6
GLOBL tanh_b4<>(SB), RODATA|NOPTR, $32
DATA tanh_b6<>+0(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+4(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+8(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+12(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+16(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+20(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+24(SB)/4, $0x35a0d3d8
DATA tanh_b6<>+28(SB)/4, $0x35a0d3d8
GLOBL tanh_b6<>(SB), RODATA|NOPTR, $32
DATA tanh_abs<>+0(SB)/4, $0x7fffffff
DATA tanh_abs<>+4(SB)/4, $0x7fffffff
DATA tanh_abs<>+8(SB)/4, $0x7fffffff
DATA tanh_abs<>+12(SB)/4, $0x7fffffff
DATA tanh_abs<>+16(SB)/4, $0x7fffffff
DATA tanh_abs<>+20(SB)/4, $0x7fffffff
DATA tanh_abs<>+24(SB)/4, $0x7fffffff
DATA tanh_abs<>+28(SB)/4, $0x7fffffff
GLOBL tanh_abs<>(SB), RODATA|NOPTR, $32

// TANH8 sets Y2 = Tanh32(Y0) for 8 lanes (Y0 is clamped in place), with
// the operations of Tanh32 in the same order (no FMA), so the results are
// the same bits; it needs Y12-Y15 loaded as tanh32AVX loads them and uses
// Y1, Y3 and Y4.
#define TANH8 \
	VMINPS  Y0, Y15, Y0 \
	VMAXPS  Y0, Y14, Y0 \
	VMULPS  Y0, Y0, Y1 \
	VMOVUPS tanh_a13<>(SB), Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a11<>(SB), Y2, Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a9<>(SB), Y2, Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a7<>(SB), Y2, Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a5<>(SB), Y2, Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a3<>(SB), Y2, Y2 \
	VMULPS  Y1, Y2, Y2 \
	VADDPS  tanh_a1<>(SB), Y2, Y2 \
	VMULPS  Y0, Y2, Y2 \
	VMOVUPS tanh_b6<>(SB), Y3 \
	VMULPS  Y1, Y3, Y3 \
	VADDPS  tanh_b4<>(SB), Y3, Y3 \
	VMULPS  Y1, Y3, Y3 \
	VADDPS  tanh_b2<>(SB), Y3, Y3 \
	VMULPS  Y1, Y3, Y3 \
	VADDPS  tanh_b0<>(SB), Y3, Y3 \
	VDIVPS  Y3, Y2, Y2 \
	VANDPS  Y12, Y0, Y4 \
	VCMPPS  $1, Y13, Y4, Y4 \
	VBLENDVPS Y4, Y0, Y2, Y2

#define TANH_CONSTS \
	VMOVUPS tanh_clamp<>(SB), Y15 \
	VMOVUPS tanh_nclamp<>(SB), Y14 \
	VMOVUPS tanh_small<>(SB), Y13 \
	VMOVUPS tanh_abs<>(SB), Y12

// func tanh32AVX(x []float32): x[i] = Tanh32(x[i]) for len(x) a multiple
// of 8, with the same results.
TEXT ·tanh32AVX(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $3, CX
	JZ   done
	TANH_CONSTS
loop:
	VMOVUPS (SI), Y0
	TANH8
	VMOVUPS Y2, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  loop
	VZEROUPPER
done:
	RET

DATA sig_half<>+0(SB)/4, $0x3f000000
GLOBL sig_half<>(SB), RODATA|NOPTR, $4

// func sigmoid32AVX(x []float32): x[i] = Sigmoid32(x[i]) =
// 0.5·Tanh32(0.5·x[i]) + 0.5 for len(x) a multiple of 8, with the same
// results.
TEXT ·sigmoid32AVX(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $3, CX
	JZ   sdone
	TANH_CONSTS
	VBROADCASTSS sig_half<>(SB), Y11
sloop:
	VMOVUPS (SI), Y0
	VMULPS  Y11, Y0, Y0
	TANH8
	VMULPS  Y11, Y2, Y2
	VADDPS  Y11, Y2, Y2
	VMOVUPS Y2, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  sloop
	VZEROUPPER
sdone:
	RET

// func cpuHasAVX() bool
TEXT ·cpuHasAVX(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX // OSXSAVE and AVX
	CMPL CX, $0x18000000
	JNE  no
	XORL CX, CX
	BYTE $0x0f; BYTE $0x01; BYTE $0xd0 // XGETBV
	ANDL $6, AX // the OS saves XMM and YMM state
	CMPL AX, $6
	JNE  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET
