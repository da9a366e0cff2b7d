//go:build amd64 && !purego

#include "textflag.h"

// func reluBiasAVX2(n int, row, bias *float32)
//
// row = max(row + bias, 0), 8 at a time. MAXPS(0, v) returns v when v is
// NaN (NaN propagates, as Go's max) and v when v is -0; adding +0 turns
// that -0 into +0, as Go's max(-0, 0).
TEXT ·reluBiasAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), DI
	MOVQ bias+16(FP), SI
	VXORPS Y15, Y15, Y15
	SHRQ $3, CX
	JZ   done
loop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMAXPS  Y0, Y15, Y0
	VADDPS  Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func reluBackAccAVX2(n int, row, c, o, h, db, dw *float32, xv float32)
//
// g = (c + o) where h's bits are a positive int32 (h > 0, as reluGrad32),
// else 0; row = g; db += g; dw += xv·g (a product and a sum, not fused, as
// the Go loop), 8 at a time.
TEXT ·reluBackAccAVX2(SB), NOSPLIT, $0-60
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), DI
	MOVQ c+16(FP), SI
	MOVQ o+24(FP), R8
	MOVQ h+32(FP), R9
	MOVQ db+40(FP), R10
	MOVQ dw+48(FP), R11
	VBROADCASTSS xv+56(FP), Y14
	VPXOR Y15, Y15, Y15
	SHRQ $3, CX
	JZ   done2
loop2:
	VMOVUPS   (R9), Y1
	VPCMPGTD  Y15, Y1, Y1 // all ones where h > 0 as int32
	VMOVUPS   (SI), Y0
	VADDPS    (R8), Y0, Y0
	VANDPS    Y1, Y0, Y0
	VMOVUPS   Y0, (DI)
	VADDPS    (R10), Y0, Y2
	VMOVUPS   Y2, (R10)
	VMULPS    Y14, Y0, Y3
	VADDPS    (R11), Y3, Y3
	VMOVUPS   Y3, (R11)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ  loop2
done2:
	VZEROUPPER
	RET

// func scaleAVX2(n int, dst, w *float32, v float32, add bool)
//
// dst = v·w, or dst += v·w when add (a product and a sum, not fused, as
// the Go loop), 8 at a time.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-29
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ w+16(FP), SI
	VBROADCASTSS v+24(FP), Y14
	MOVBLZX add+28(FP), DX
	SHRQ $3, CX
	JZ   done3
	TESTQ DX, DX
	JNZ  addloop
setloop:
	VMULPS  (SI), Y14, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ  setloop
	JMP  done3
addloop:
	VMULPS  (SI), Y14, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ  addloop
done3:
	VZEROUPPER
	RET

// func reluProjAVX2(n int, row, bias, w *float32, v float32)
//
// row = max((row + v·w) + bias, 0), 8 at a time, zeros and NaNs as
// reluBiasAVX2.
TEXT ·reluProjAVX2(SB), NOSPLIT, $0-36
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), DI
	MOVQ bias+16(FP), SI
	MOVQ w+24(FP), DX
	VBROADCASTSS v+32(FP), Y14
	VXORPS Y15, Y15, Y15
	SHRQ $3, CX
	JZ   done4
loop4:
	VMULPS  (DX), Y14, Y1
	VMOVUPS (DI), Y0
	VADDPS  Y1, Y0, Y0
	VADDPS  (SI), Y0, Y0
	VMAXPS  Y0, Y15, Y0
	VADDPS  Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	DECQ CX
	JNZ  loop4
done4:
	VZEROUPPER
	RET

// func addAVX2(n int, dst, src *float32)
//
// dst += src, 8 at a time.
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	SHRQ $3, CX
	JZ   done5
loop5:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ  loop5
done5:
	VZEROUPPER
	RET
