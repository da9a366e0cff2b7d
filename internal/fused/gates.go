package fused

import (
	"math"

	"github.com/gorgoflow/gorgoflow/internal/fastmath"
)

// tanhs sets v[i] = tanh(v[i]): fastmath.Tanh32 (8 at a time with AVX) for
// float32, math.Tanh for float64.
func tanhs[F Float](v []F) {
	switch r := any(v).(type) {
	case []float32:
		fastmath.Tanh32s(r)
	case []float64:
		for i, e := range r {
			r[i] = math.Tanh(e)
		}
	}
}

// sigmoids sets v[i] = 1/(1+exp(-v[i])): for float32 as 0.5·tanh(v/2)+0.5
// with fastmath's tanh (within 3e-7 of the exact value), for float64 as
// tf.Sigmoid computes it.
func sigmoids[F Float](v []F) {
	switch r := any(v).(type) {
	case []float32:
		for i, e := range r {
			r[i] = 0.5 * e
		}
		fastmath.Tanh32s(r)
		for i, e := range r {
			r[i] = 0.5*e + 0.5
		}
	case []float64:
		for i, e := range r {
			if e >= 0 {
				r[i] = 1 / (1 + math.Exp(-e))
			} else {
				x := math.Exp(e)
				r[i] = x / (1 + x)
			}
		}
	}
}

// clipTo sets v[i] to v[i] clipped to [-c, c] (NaN stays NaN).
func clipTo[F Float](v []F, c F) {
	for i, e := range v {
		if e > c {
			v[i] = c
		} else if e < -c {
			v[i] = -c
		}
	}
}

// passClipped zeroes g[i] where v[i] is outside (-c, c): the gradient of a
// value clipped to [-c, c], given the clipped value.
func passClipped[F Float](g, v []F, c F) {
	v = v[:len(g)]
	for i, e := range v {
		if !(e < c && e > -c) {
			g[i] = 0
		}
	}
}
