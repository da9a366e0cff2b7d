//go:build amd64 && !purego

package fused

import "github.com/gorgoflow/gorgoflow/internal/blas"

// haveAVX2 reports whether the assembly loops of relu_amd64.s can run.
var haveAVX2 = blas.HasAVX2FMA()

// reluBiasAVX2 sets row[i] = max(row[i] + bias[i], 0) for i < n, n a
// multiple of 8, as reluBias.
//
//go:noescape
func reluBiasAVX2(n int, row, bias *float32)

// reluBackAccAVX2 is reluBackAcc32 with o not nil for i < n, n a multiple
// of 8.
//
//go:noescape
func reluBackAccAVX2(n int, row, c, o, h, db, dw *float32, xv float32)

// scaleAVX2 sets dst[i] = v·w[i], or adds it when add, for i < n, n a
// multiple of 8.
//
//go:noescape
func scaleAVX2(n int, dst, w *float32, v float32, add bool)

// reluProjAVX2 sets row[i] = max((row[i] + v·w[i]) + bias[i], 0) for
// i < n, n a multiple of 8, as reluProj.
//
//go:noescape
func reluProjAVX2(n int, row, bias, w *float32, v float32)

// addAVX2 adds src[i] to dst[i] for i < n, n a multiple of 8.
//
//go:noescape
func addAVX2(n int, dst, src *float32)
