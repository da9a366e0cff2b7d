//go:build amd64 && !purego

#include "textflag.h"

// func adamAVX2(n int, w, m, v, g *float32, lrT, c1, c2, eps float32)
//
// Per element, as adam's Go loop (no fused multiply-adds):
//   m += (g - m)·c1
//   v += (g·g - v)·c2
//   w -= lrT·m / (sqrt(v) + eps)
TEXT ·adamAVX2(SB), NOSPLIT, $0-56
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), DI
	MOVQ m+16(FP), SI
	MOVQ v+24(FP), R8
	MOVQ grad+32(FP), R9
	VBROADCASTSS lrT+40(FP), Y12
	VBROADCASTSS c1+44(FP), Y13
	VBROADCASTSS c2+48(FP), Y14
	VBROADCASTSS eps+52(FP), Y15
	SHRQ $3, CX
	JZ   done
loop:
	VMOVUPS (R9), Y0 // g
	VMOVUPS (SI), Y1 // m
	VMOVUPS (R8), Y2 // v
	VSUBPS  Y1, Y0, Y3 // g - m
	VMULPS  Y13, Y3, Y3
	VADDPS  Y3, Y1, Y1 // m + (g-m)·c1
	VMOVUPS Y1, (SI)
	VMULPS  Y0, Y0, Y4 // g·g
	VSUBPS  Y2, Y4, Y4 // g·g - v
	VMULPS  Y14, Y4, Y4
	VADDPS  Y4, Y2, Y2 // v + (g·g-v)·c2
	VMOVUPS Y2, (R8)
	VSQRTPS Y2, Y5
	VADDPS  Y15, Y5, Y5 // sqrt(v) + eps
	VMULPS  Y1, Y12, Y6 // lrT·m
	VDIVPS  Y5, Y6, Y6 // lrT·m / (sqrt(v)+eps)
	VMOVUPS (DI), Y7
	VSUBPS  Y6, Y7, Y7 // w - ...
	VMOVUPS Y7, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET
