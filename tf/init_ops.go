package tf

import "math"

// Initializer makes the initial value of a variable of a given shape and
// dtype, as TF's initializer objects do.
type Initializer func(shape Shape, dtype DType) *Tensor

// RandomNormalInitializer returns tf.random_normal_initializer.
// Options: Mean, Stddev, Seed.
func RandomNormalInitializer(opts ...Option) Initializer {
	return func(s Shape, d DType) *Tensor { return RandomNormal(s, d, opts...) }
}

// TruncatedNormalInitializer returns tf.truncated_normal_initializer.
// Options: Mean, Stddev, Seed.
func TruncatedNormalInitializer(opts ...Option) Initializer {
	return func(s Shape, d DType) *Tensor { return TruncatedNormal(s, d, opts...) }
}

// RandomUniformInitializer returns tf.random_uniform_initializer.
// Options: Minval, Maxval, Seed.
func RandomUniformInitializer(opts ...Option) Initializer {
	return func(s Shape, d DType) *Tensor { return RandomUniform(s, d, opts...) }
}

// ZerosInitializer returns tf.zeros_initializer.
func ZerosInitializer() Initializer { return func(s Shape, d DType) *Tensor { return Zeros(s, d) } }

// OnesInitializer returns tf.ones_initializer.
func OnesInitializer() Initializer { return func(s Shape, d DType) *Tensor { return Ones(s, d) } }

// ConstantInitializer returns tf.constant_initializer(value).
func ConstantInitializer(value float64) Initializer {
	return func(s Shape, d DType) *Tensor { return Fill(s, value, d) }
}

// GlorotUniformInitializer returns tf.glorot_uniform_initializer: uniform in
// [-limit, limit] with limit = sqrt(6 / (fan_in + fan_out)), the fans
// computed as TF's _compute_fans. Options: Seed.
func GlorotUniformInitializer(opts ...Option) Initializer {
	return func(s Shape, d DType) *Tensor {
		fanIn, fanOut := computeFans(s)
		limit := math.Sqrt(6 / math.Max(1, fanIn+fanOut))
		return RandomUniform(s, d, append([]Option{Minval(-limit), Maxval(limit)}, opts...)...)
	}
}

// GlorotNormalInitializer returns tf.glorot_normal_initializer: truncated
// normal with stddev sqrt(2 / (fan_in + fan_out)) / .87962566103423978, as TF 1.x's
// variance_scaling. Options: Seed.
func GlorotNormalInitializer(opts ...Option) Initializer {
	return func(s Shape, d DType) *Tensor {
		fanIn, fanOut := computeFans(s)
		std := math.Sqrt(2/math.Max(1, fanIn+fanOut)) / .87962566103423978
		return TruncatedNormal(s, d, append([]Option{Stddev(std)}, opts...)...)
	}
}

// computeFans follows TF's init_ops._compute_fans.
func computeFans(s Shape) (float64, float64) {
	switch len(s) {
	case 0:
		return 1, 1
	case 1:
		return float64(s[0]), float64(s[0])
	case 2:
		return float64(s[0]), float64(s[1])
	}
	rf := 1.0
	for _, d := range s[:len(s)-2] {
		rf *= float64(d)
	}
	return float64(s[len(s)-2]) * rf, float64(s[len(s)-1]) * rf
}
