//go:build amd64 && !purego

#include "textflag.h"

DATA gates_one<>+0(SB)/4, $0x3f800000
GLOBL gates_one<>(SB), RODATA|NOPTR, $4

// The loops below compute, 8 at a time, what the Go loops of gates.go
// compute, with the same operations in the same order (no FMA), so the
// results are the same bits.

// func lstmStateAVX2(n int, c, cp, i, j, f *float32)
// c = f·cp + i·j
TEXT ·lstmStateAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ c+8(FP), DI
	MOVQ cp+16(FP), SI
	MOVQ i+24(FP), R8
	MOVQ j+32(FP), R9
	MOVQ f+40(FP), R10
	SHRQ $3, CX
	JZ   done1
loop1:
	VMOVUPS (R10), Y0
	VMULPS  (SI), Y0, Y0
	VMOVUPS (R8), Y1
	VMULPS  (R9), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	DECQ CX
	JNZ  loop1
done1:
	VZEROUPPER
	RET

// func mulAVX2(n int, dst, src *float32)
// dst = dst·src
TEXT ·mulAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	SHRQ $3, CX
	JZ   done2
loop2:
	VMOVUPS (DI), Y0
	VMULPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ  loop2
done2:
	VZEROUPPER
	RET

// func mul3AVX2(n int, dst, a, b *float32)
// dst = a·b
TEXT ·mul3AVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), R8
	SHRQ $3, CX
	JZ   done3
loop3:
	VMOVUPS (SI), Y0
	VMULPS  (R8), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	DECQ CX
	JNZ  loop3
done3:
	VZEROUPPER
	RET

// func lstmBackOAVX2(n int, do, cc, dm, tc, o *float32)
// do = ((dm·t)·o)·(1-o); cc = cc + (dm·o)·(1-t·t)
TEXT ·lstmBackOAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ do+8(FP), DI
	MOVQ cc+16(FP), SI
	MOVQ dm+24(FP), R8
	MOVQ tc+32(FP), R9
	MOVQ o+40(FP), R10
	VBROADCASTSS gates_one<>(SB), Y15
	SHRQ $3, CX
	JZ   done4
loop4:
	VMOVUPS (R8), Y0  // dm
	VMOVUPS (R9), Y1  // t
	VMOVUPS (R10), Y2 // o
	VMULPS  Y1, Y0, Y3
	VMULPS  Y2, Y3, Y3
	VSUBPS  Y2, Y15, Y4
	VMULPS  Y4, Y3, Y3
	VMOVUPS Y3, (DI)
	VMULPS  Y2, Y0, Y3
	VMULPS  Y1, Y1, Y4
	VSUBPS  Y4, Y15, Y4
	VMULPS  Y4, Y3, Y3
	VMOVUPS (SI), Y5
	VADDPS  Y3, Y5, Y5
	VMOVUPS Y5, (SI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	DECQ CX
	JNZ  loop4
done4:
	VZEROUPPER
	RET

// func lstmBackCAVX2(n int, di, dj, df, cc, cp, i, j, f *float32)
// d = cc; df = ((d·cp)·f)·(1-f); di = ((d·j)·i)·(1-i); dj = (d·i)·(1-j·j);
// cc = d·f
TEXT ·lstmBackCAVX2(SB), NOSPLIT, $0-72
	MOVQ n+0(FP), CX
	MOVQ di+8(FP), DI
	MOVQ dj+16(FP), SI
	MOVQ df+24(FP), R8
	MOVQ cc+32(FP), R9
	MOVQ cp+40(FP), R10
	MOVQ i+48(FP), R11
	MOVQ j+56(FP), R12
	MOVQ f+64(FP), R13
	VBROADCASTSS gates_one<>(SB), Y15
	SHRQ $3, CX
	JZ   done5
loop5:
	VMOVUPS (R9), Y0  // d
	VMOVUPS (R11), Y1 // i
	VMOVUPS (R12), Y2 // j
	VMOVUPS (R13), Y3 // f
	VMULPS  (R10), Y0, Y4
	VMULPS  Y3, Y4, Y4
	VSUBPS  Y3, Y15, Y5
	VMULPS  Y5, Y4, Y4
	VMOVUPS Y4, (R8)
	VMULPS  Y2, Y0, Y4
	VMULPS  Y1, Y4, Y4
	VSUBPS  Y1, Y15, Y5
	VMULPS  Y5, Y4, Y4
	VMOVUPS Y4, (DI)
	VMULPS  Y1, Y0, Y4
	VMULPS  Y2, Y2, Y5
	VSUBPS  Y5, Y15, Y5
	VMULPS  Y5, Y4, Y4
	VMOVUPS Y4, (SI)
	VMULPS  Y3, Y0, Y4
	VMOVUPS Y4, (R9)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	DECQ CX
	JNZ  loop5
done5:
	VZEROUPPER
	RET

// func gruHAVX2(n int, h, u, hp, c *float32)
// h = u·hp + (1-u)·c
TEXT ·gruHAVX2(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ h+8(FP), DI
	MOVQ u+16(FP), SI
	MOVQ hp+24(FP), R8
	MOVQ c+32(FP), R9
	VBROADCASTSS gates_one<>(SB), Y15
	SHRQ $3, CX
	JZ   done6
loop6:
	VMOVUPS (SI), Y0
	VMULPS  (R8), Y0, Y1
	VSUBPS  Y0, Y15, Y2
	VMULPS  (R9), Y2, Y2
	VADDPS  Y2, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  loop6
done6:
	VZEROUPPER
	RET

// func gruBack1AVX2(n int, dc, du, nx, dh, u, c, h *float32)
// dc = (dh·(1-u))·(1-c·c); du = ((dh·(h-c))·u)·(1-u); nx = dh·u
TEXT ·gruBack1AVX2(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), CX
	MOVQ dc+8(FP), DI
	MOVQ du+16(FP), SI
	MOVQ nx+24(FP), R8
	MOVQ dh+32(FP), R9
	MOVQ u+40(FP), R10
	MOVQ c+48(FP), R11
	MOVQ h+56(FP), R12
	VBROADCASTSS gates_one<>(SB), Y15
	SHRQ $3, CX
	JZ   done7
loop7:
	VMOVUPS (R9), Y0  // dh
	VMOVUPS (R10), Y1 // u
	VMOVUPS (R11), Y2 // c
	VSUBPS  Y1, Y15, Y3 // 1-u
	VMULPS  Y3, Y0, Y4
	VMULPS  Y2, Y2, Y5
	VSUBPS  Y5, Y15, Y5
	VMULPS  Y5, Y4, Y4
	VMOVUPS Y4, (DI)
	VMOVUPS (R12), Y4
	VSUBPS  Y2, Y4, Y4 // h-c
	VMULPS  Y4, Y0, Y4
	VMULPS  Y1, Y4, Y4
	VMULPS  Y3, Y4, Y4
	VMOVUPS Y4, (SI)
	VMULPS  Y1, Y0, Y4
	VMOVUPS Y4, (R8)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	DECQ CX
	JNZ  loop7
done7:
	VZEROUPPER
	RET

// func gruBack2AVX2(n int, dr, nx, d, h, r *float32)
// dr = ((d·h)·r)·(1-r); nx = nx + d·r
TEXT ·gruBack2AVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ dr+8(FP), DI
	MOVQ nx+16(FP), SI
	MOVQ d+24(FP), R8
	MOVQ h+32(FP), R9
	MOVQ r+40(FP), R10
	VBROADCASTSS gates_one<>(SB), Y15
	SHRQ $3, CX
	JZ   done8
loop8:
	VMOVUPS (R8), Y0  // d
	VMOVUPS (R10), Y1 // r
	VMULPS  (R9), Y0, Y2
	VMULPS  Y1, Y2, Y2
	VSUBPS  Y1, Y15, Y3
	VMULPS  Y3, Y2, Y2
	VMOVUPS Y2, (DI)
	VMULPS  Y1, Y0, Y2
	VMOVUPS (SI), Y3
	VADDPS  Y2, Y3, Y3
	VMOVUPS Y3, (SI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	DECQ CX
	JNZ  loop8
done8:
	VZEROUPPER
	RET
