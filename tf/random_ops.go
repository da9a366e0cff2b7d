package tf

import (
	"math/rand/v2"
	"sync"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
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
	return c.run.Env.OpState(c.Op, func() any {
		s1, s2 := c.Op.attrs["seed"].(int64), c.Op.attrs["seed2"].(int64)
		return &rngState{rng: rand.New(rand.NewPCG(uint64(s1), uint64(s2)))}
	}).(*rngState)
}

// dist is the distribution a random op draws from.
type dist = kernels.Distribution

const (
	distNormal    = kernels.Normal
	distTruncated = kernels.Truncated
	distUniform   = kernels.Uniform
)

var randomDef = &OpDef{
	Type: "Random",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if len(in) == 1 {
			// The shape of input 0 (the x of tf.RandomUniform(tf.ShapeOf(x))).
			if in[0].Shape == nil {
				return []Spec{{DType: a["dtype"].(DType)}}, nil
			}
			return []Spec{{DType: a["dtype"].(DType), Shape: in[0].Shape.Clone()}}, nil
		}
		return []Spec{{DType: a["dtype"].(DType), Shape: a["shape"].(Shape)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		a := c.Op.attrs
		st := opRNG(c)
		out := c.AllocUninit(0) // every element drawn
		st.mu.Lock()
		defer st.mu.Unlock()
		kernels.Random(backing(out), st.rng, a["dist"].(dist), a.Float("p1", 0), a.Float("p2", 1))
		return nil
	},
	Stateful: true,
}

func init() {
	// A random op's values do not depend on the tensor whose shape it
	// takes: nothing flows back to it.
	randomDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor { return make([]*Tensor, len(op.inputs)) }
}

// shapeArg reads the shape argument of a random op: a Shape or []int,
// fully known, or the tensor tf.ShapeOf(x), whose dimensions may be unknown
// until Run: then it returns x, whose shape the op takes at Run time.
func shapeArg(fn string, shape any) (Shape, *Tensor, error) {
	switch s := shape.(type) {
	case Shape:
		if !s.IsFullyDefined() || s == nil {
			return nil, nil, errors.Errorf("%s at %s: shape %v must be fully known (give tf.ShapeOf(x) for the run-time shape of x)", fn, callerSite(), s)
		}
		return s.Clone(), nil, nil
	case []int:
		return shapeArg(fn, Shape(s))
	case *Tensor:
		if s == nil {
			return nil, nil, errors.Errorf("%s at %s: shape is a nil *tf.Tensor", fn, callerSite())
		}
		if s.err != nil {
			return nil, nil, s.err
		}
		if s.op == nil || s.op.def != shapeDef {
			return nil, nil, errors.Errorf("%s at %s: shape tensor %q is not tf.ShapeOf(x): gorgoflow infers shapes from shapes, not from values, so a shape given as a tensor must be the shape of a tensor", fn, callerSite(), s.Name())
		}
		return nil, s.op.inputs[0], nil
	}
	return nil, nil, errors.Errorf("%s at %s: shape is a %T; give a tf.Shape, an []int or tf.ShapeOf(x)", fn, callerSite(), shape)
}

func randomOp(fn string, shapeIn any, dtype DType, d dist, opts []Option, allowed ...string) *Tensor {
	o, err := parseOptions(fn, opts, allowed...)
	if err != nil {
		return errorTensor(err)
	}
	shape, like, err := shapeArg(fn, shapeIn)
	if err != nil {
		return errorTensor(err)
	}
	if dtype == Invalid {
		dtype = Float32
	}
	var p1, p2 float64
	switch d {
	case distNormal, distTruncated:
		if !dtype.IsFloating() {
			return errorTensor(errors.Errorf("%s at %s: dtype %s is not a floating-point type", fn, callerSite(), dtype))
		}
		p1, p2 = o.mean, o.stddev
	case distUniform:
		p1, p2 = o.minval, o.maxval
		if dtype.IsInteger() && !o.given["maxval"] {
			return errorTensor(errors.Errorf("%s at %s: an integer dtype needs Maxval", fn, callerSite()))
		}
		if dtype == Bool {
			return errorTensor(errors.Errorf("%s at %s: dtype bool is not numeric", fn, callerSite()))
		}
		if p2 <= p1 {
			return errorTensor(errors.Errorf("%s at %s: Minval %v must be below Maxval %v", fn, callerSite(), p1, p2))
		}
	}
	g := DefaultGraph()
	s1, s2 := g.seeds(o.seed, o.given["seed"])
	name := o.name
	if name == "" {
		name = map[dist]string{distNormal: "random_normal", distTruncated: "truncated_normal", distUniform: "random_uniform"}[d]
	}
	var in []any
	if like != nil {
		in = []any{like}
	}
	return AddOp(OpSpec{Def: randomDef, Name: name, Inputs: in, Attrs: Attrs{
		"dtype": dtype, "shape": shape, "dist": d, "p1": p1, "p2": p2, "seed": s1, "seed2": s2,
	}}).Output(0)
}

// RandomNormal returns a tensor of normal random values, drawn anew at each
// run (tf.random_normal). shape is a tf.Shape or []int, fully known, or
// tf.ShapeOf(x) for the shape x has at Run time (its dimensions may be None,
// as the batch: tf.RandomUniform(tf.ShapeOf(x), ...)). A dtype of Invalid
// means Float32.
//
// Options: Mean (0), Stddev (1), Seed, Name.
func RandomNormal(shape any, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.RandomNormal", shape, dtype, distNormal, opts, "mean", "stddev", "seed", "name")
}

// TruncatedNormal is RandomNormal with values beyond two standard deviations
// drawn again (tf.truncated_normal).
//
// Options: Mean (0), Stddev (1), Seed, Name.
func TruncatedNormal(shape any, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.TruncatedNormal", shape, dtype, distTruncated, opts, "mean", "stddev", "seed", "name")
}

// RandomUniform returns uniform random values in [minval, maxval)
// (tf.random_uniform). Integer dtypes need Maxval.
//
// Options: Minval (0), Maxval (1), Seed, Name.
func RandomUniform(shape any, dtype DType, opts ...Option) *Tensor {
	return randomOp("tf.RandomUniform", shape, dtype, distUniform, opts, "minval", "maxval", "seed", "name")
}

// GetSeed returns the (graph-level, op-level) seed pair of a new random op,
// as TF's tf.get_seed(op_seed): the graph seed set by SetRandomSeed and
// opSeed when haveOpSeed; the graph seed and a per-graph counter when only
// the graph seed is set; fresh random seeds otherwise. Random ops defined
// outside tf (nn's candidate samplers) seed their generators with it.
func (g *Graph) GetSeed(opSeed int64, haveOpSeed bool) (graphSeed, seed int64) {
	return g.seeds(opSeed, haveOpSeed)
}
