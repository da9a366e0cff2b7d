package tf

import (
	"math"
	"math/rand/v2"
	"sync"

	"github.com/pkg/errors"
)

// defaultGraphSeed is TF's DEFAULT_GRAPH_SEED, used when only an op seed is set.
const defaultGraphSeed = 87654321

// SetRandomSeed sets the default graph's random seed (tf.set_random_seed).
// Random ops built afterwards without their own Seed get one from the graph,
// so a whole program gives the same numbers on every run, as in TF.
func SetRandomSeed(seed int64) { DefaultGraph().SetRandomSeed(seed) }

// SetRandomSeed sets g's random seed; see the package function.
func (g *Graph) SetRandomSeed(seed int64) {
	g.mu.Lock()
	s := seed
	g.seed = &s
	g.mu.Unlock()
}

// seeds returns the (graph, op) seed pair of a new random op, as TF's
// get_seed: both from the user when given; the graph seed and a per-graph
// counter when only the graph seed is set; fresh random ones otherwise.
func (g *Graph) seeds(opSeed int64, haveOp bool) (int64, int64) {
	g = g.root()
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.seed != nil && haveOp:
		return *g.seed, opSeed
	case g.seed != nil:
		g.opSeeds++
		return *g.seed, g.opSeeds
	case haveOp:
		return defaultGraphSeed, opSeed
	}
	return rand.Int64(), rand.Int64()
}

type rngState struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func opRNG(c *KernelContext) *rngState {
	return c.Env.OpState(c.Op, func() any {
		s1, s2 := c.Op.attrs["seed"].(int64), c.Op.attrs["seed2"].(int64)
		return &rngState{rng: rand.New(rand.NewPCG(uint64(s1), uint64(s2)))}
	}).(*rngState)
}

type dist int

const (
	distNormal dist = iota
	distTruncated
	distUniform
)

var randomDef = &OpDef{
	Type: "Random",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: a["dtype"].(DType), Shape: a["shape"].(Shape)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		a := c.Op.attrs
		st := opRNG(c)
		out := c.Alloc(0)
		p1, p2 := a.Float("p1", 0), a.Float("p2", 1)
		st.mu.Lock()
		defer st.mu.Unlock()
		r := st.rng
		sample := func() float64 {
			switch a["dist"].(dist) {
			case distNormal:
				return p1 + p2*r.NormFloat64()
			case distTruncated:
				for {
					x := r.NormFloat64()
					if math.Abs(x) <= 2 {
						return p1 + p2*x
					}
				}
			}
			return p1 + (p2-p1)*r.Float64()
		}
		switch d := out.Data().(type) {
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
		case float32:
			out.Set(0, float32(sample()))
		case float64:
			out.Set(0, sample())
		}
		return nil
	},
	Stateful: true,
}

func randomOp(fn string, shape Shape, dtype DType, d dist, opts []Option, allowed ...string) *Tensor {
	o, err := parseOptions(fn, opts, allowed...)
	if err != nil {
		return ErrTensor(err)
	}
	if !shape.IsFullyDefined() || shape == nil {
		return ErrTensor(errors.Errorf("%s at %s: shape %v must be fully known", fn, callerSite(), shape))
	}
	if dtype == Invalid {
		dtype = Float32
	}
	var p1, p2 float64
	switch d {
	case distNormal, distTruncated:
		if !dtype.IsFloating() {
			return ErrTensor(errors.Errorf("%s at %s: dtype %s is not a floating-point type", fn, callerSite(), dtype))
		}
		p1, p2 = o.mean, o.stddev
	case distUniform:
		p1, p2 = o.minval, o.maxval
		if dtype.IsInteger() && !o.given["maxval"] {
			return ErrTensor(errors.Errorf("%s at %s: an integer dtype needs Maxval", fn, callerSite()))
		}
		if dtype == Bool {
			return ErrTensor(errors.Errorf("%s at %s: dtype bool is not numeric", fn, callerSite()))
		}
		if p2 <= p1 {
			return ErrTensor(errors.Errorf("%s at %s: Minval %v must be below Maxval %v", fn, callerSite(), p1, p2))
		}
	}
	g := DefaultGraph()
	s1, s2 := g.seeds(o.seed, o.given["seed"])
	name := o.name
	if name == "" {
		name = map[dist]string{distNormal: "random_normal", distTruncated: "truncated_normal", distUniform: "random_uniform"}[d]
	}
	return AddOp(OpSpec{Def: randomDef, Name: name, Attrs: Attrs{
		"dtype": dtype, "shape": shape.Clone(), "dist": d, "p1": p1, "p2": p2, "seed": s1, "seed2": s2,
	}}).Output(0)
}

// RandomNormal returns a tensor of normal random values, drawn anew at each
// run (tf.random_normal). A dtype of Invalid means Float32.
//
// Options: Mean (0), Stddev (1), Seed, Name.
func RandomNormal(shape Shape, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.RandomNormal", shape, dtype, distNormal, opts, "mean", "stddev", "seed", "name")
}

// TruncatedNormal is RandomNormal with values beyond two standard deviations
// drawn again (tf.truncated_normal).
//
// Options: Mean (0), Stddev (1), Seed, Name.
func TruncatedNormal(shape Shape, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.TruncatedNormal", shape, dtype, distTruncated, opts, "mean", "stddev", "seed", "name")
}

// RandomUniform returns uniform random values in [minval, maxval)
// (tf.random_uniform). Integer dtypes need Maxval.
//
// Options: Minval (0), Maxval (1), Seed, Name.
func RandomUniform(shape Shape, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.RandomUniform", shape, dtype, distUniform, opts, "minval", "maxval", "seed", "name")
}

// Zeros returns a tensor of zeros (tf.zeros). A dtype of Invalid means Float32.
func Zeros(shape Shape, dtype DType, opts ...Option) *Tensor {
	return Fill(shape, 0, dtype, opts...)
}

// Ones returns a tensor of ones (tf.ones).
func Ones(shape Shape, dtype DType, opts ...Option) *Tensor {
	return Fill(shape, 1, dtype, opts...)
}

// Fill returns a tensor of the given shape filled with value (tf.fill).
//
// Options: Name.
func Fill(shape Shape, value float64, dtype DType, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Fill", opts)
	if err != nil {
		return ErrTensor(err)
	}
	if !shape.IsFullyDefined() || shape == nil {
		return ErrTensor(errors.Errorf("tf.Fill at %s: shape %v must be fully known", callerSite(), shape))
	}
	if dtype == Invalid {
		dtype = Float32
	}
	d := NewDense(Spec{DType: dtype, Shape: shape})
	if value != 0 {
		if dtype == Bool {
			for i := range d.Bools() {
				d.Bools()[i] = true
			}
		} else {
			fillFloat(d, value)
		}
	}
	return AddOp(OpSpec{Def: constDef, Name: name, Attrs: Attrs{"value": d}}).Output(0)
}

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

// GetSeed returns the (graph-level, op-level) seed pair of a new random op,
// as TF's tf.get_seed(op_seed): the graph seed set by SetRandomSeed and
// opSeed when haveOpSeed; the graph seed and a per-graph counter when only
// the graph seed is set; fresh random seeds otherwise. Random ops defined
// outside tf (nn's candidate samplers) seed their generators with it.
func (g *Graph) GetSeed(opSeed int64, haveOpSeed bool) (graphSeed, seed int64) {
	return g.seeds(opSeed, haveOpSeed)
}
