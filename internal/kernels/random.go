package kernels

import (
	"math"
	"math/rand/v2"
)

// Distribution names what Random draws.
type Distribution int

// The distributions of tf.RandomNormal, TruncatedNormal and RandomUniform.
const (
	Normal    Distribution = iota // mean p1, standard deviation p2
	Truncated                     // Normal, redrawn beyond two standard deviations
	Uniform                       // in [p1, p2)
)

// Random fills out, a backing slice, with draws from r, in order. Integer
// dtypes draw uniformly in [p1, p2) whatever the distribution.
func Random(out any, r *rand.Rand, dist Distribution, p1, p2 float64) {
	sample := func() float64 {
		switch dist {
		case Normal:
			return p1 + p2*r.NormFloat64()
		case Truncated:
			for {
				x := r.NormFloat64()
				if math.Abs(x) <= 2 {
					return p1 + p2*x
				}
			}
		}
		return p1 + (p2-p1)*r.Float64()
	}
	switch d := out.(type) {
	case []float32:
		for i := range d {
			d[i] = float32(sample())
		}
	case []float64:
		for i := range d {
			d[i] = sample()
		}
	case []int32:
		for i := range d {
			d[i] = int32(p1) + int32(r.Int64N(int64(p2-p1)))
		}
	case []int64:
		for i := range d {
			d[i] = int64(p1) + r.Int64N(int64(p2-p1))
		}
	}
}
