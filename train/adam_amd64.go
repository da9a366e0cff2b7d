//go:build amd64 && !purego

package train

import "github.com/gorgoflow/gorgoflow/internal/blas"

// haveAVX2 reports whether adamAVX2 can run.
var haveAVX2 = blas.HasAVX2FMA()

// adamAVX2 is adam's float32 loop for i < n, n a multiple of 8, with the
// same operations in the same order (c1 = 1-β1, c2 = 1-β2).
//
//go:noescape
func adamAVX2(n int, w, m, v, grad *float32, lrT, c1, c2, eps float32)
