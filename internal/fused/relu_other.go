//go:build !amd64 || purego

package fused

const haveAVX2 = false

func reluBiasAVX2(n int, row, bias *float32) { panic("unreachable") }

func reluBackAccAVX2(n int, row, c, o, h, db, dw *float32, xv float32) { panic("unreachable") }

func scaleAVX2(n int, dst, w *float32, v float32, add bool) { panic("unreachable") }

func reluProjAVX2(n int, row, bias, w *float32, v float32) { panic("unreachable") }

func addAVX2(n int, dst, src *float32) { panic("unreachable") }
