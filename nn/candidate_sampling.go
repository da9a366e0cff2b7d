package nn

import (
	"math"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// samplerKind is a candidate sampler's distribution over [0, range_max).
type samplerKind int

const (
	logUniformSampler samplerKind = iota
	uniformSampler
	unigramSampler
)

var samplerNames = [...]string{"LogUniformCandidateSampler", "UniformCandidateSampler", "FixedUnigramCandidateSampler"}

// distribution samples classes and gives their probabilities, as TF's
// range_sampler.cc.
type distribution struct {
	kind       samplerKind
	rangeMax   int
	logRange   float64   // log uniform: log(range_max + 1)
	weights    []float64 // unigram: per-class weight (reserved ids 0)
	cum        []float64 // unigram: cumulative weights
	total      float64
	unigrams   []float64 // unigram: the arguments, for GraphDef export
	distortion float64
	reserved   int
}

func (d *distribution) sample(r *rand.Rand) int64 {
	switch d.kind {
	case logUniformSampler:
		v := int64(math.Exp(r.Float64()*d.logRange)) - 1
		return v % int64(d.rangeMax)
	case uniformSampler:
		return r.Int64N(int64(d.rangeMax))
	}
	u := r.Float64() * d.total
	i := sort.SearchFloat64s(d.cum, u)
	for i < len(d.cum)-1 && (d.cum[i] <= u || d.weights[i] == 0) {
		i++
	}
	return int64(min(i, len(d.cum)-1))
}

// probability is TF's Probability(value), a float.
func (d *distribution) probability(v int64) float32 {
	switch d.kind {
	case logUniformSampler:
		return float32(math.Log((float64(v)+2)/(float64(v)+1)) / d.logRange)
	case uniformSampler:
		return float32(1 / float64(d.rangeMax))
	}
	if v < 0 || v >= int64(len(d.weights)) {
		return 0
	}
	return float32(d.weights[v] / d.total)
}

// expectedCount is TF's ExpectedCountHelper, in float32 as TF computes it:
// p*batch when every try was kept, else -expm1(num_tries*log1p(-p)), the
// probability that the class was drawn at least once in num_tries.
func expectedCount(p float32, batch, tries int) float32 {
	if tries == batch {
		return p * float32(batch)
	}
	l := float32(math.Log1p(float64(-p)))
	return float32(-math.Expm1(float64(float32(tries) * l)))
}

type samplerState struct {
	mu  sync.Mutex
	rng *rand.Rand
}

var samplerDef = &tf.OpDef{
	Type: "CandidateSampler",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		ns := a.Int("num_sampled", 0)
		return []tf.Spec{{DType: tf.Int64, Shape: tf.Shape{ns}}, {DType: tf.Float32, Shape: in[0].Shape.Clone()}, {DType: tf.Float32, Shape: tf.Shape{ns}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		a := c.Attrs()
		d := a["dist"].(*distribution)
		st := tfimpl.Env(c).OpState(c.Op, func() any {
			return &samplerState{rng: rand.New(rand.NewPCG(uint64(a["seed"].(int64)), uint64(a["seed2"].(int64))))}
		}).(*samplerState)
		ns, unique := a.Int("num_sampled", 0), a.Bool("unique")
		sampled := c.AllocUninit(0).Data().([]int64)
		st.mu.Lock()
		tries := 0
		if unique {
			used := make(map[int64]bool, ns)
			for n := 0; n < ns; {
				tries++
				v := d.sample(st.rng)
				if !used[v] {
					used[v] = true
					sampled[n] = v
					n++
				}
			}
		} else {
			for i := range sampled {
				sampled[i] = d.sample(st.rng)
			}
			tries = ns
		}
		st.mu.Unlock()
		if c.Wanted(1) {
			te := c.AllocUninit(1).Data().([]float32)
			for i, v := range idList(c.In[0]) {
				te[i] = expectedCount(d.probability(int64(v)), ns, tries)
			}
		}
		if c.Wanted(2) {
			se := c.AllocUninit(2).Data().([]float32)
			for i, v := range sampled {
				se[i] = expectedCount(d.probability(v), ns, tries)
			}
		}
		return nil
	},
	Stateful: true,
}

// LogUniformCandidateSampler samples numSampled classes from [0, rangeMax)
// with the log-uniform (Zipfian) distribution
// P(class) = (log(class + 2) - log(class + 1)) / log(rangeMax + 1)
// (tf.nn.log_uniform_candidate_sampler). It returns the sampled classes
// (int64 [numSampled]) and the expected counts of the true classes
// (float32, shaped as trueClasses) and of the sampled ones (float32
// [numSampled]): with unique sampling (draws repeated until numSampled
// distinct classes), -expm1(num_tries * log1p(-p)), else p * numSampled,
// as TF computes them. trueClasses is int32 or int64 [batch, numTrue].
// Sampling runs in the graph, anew at each Run, seeded by the graph seed
// (tf.SetRandomSeed) or tf.Seed.
//
// numSampled larger than rangeMax with unique is an error naming both.
// Options: tf.Seed, tf.Name.
func LogUniformCandidateSampler(trueClasses any, numTrue, numSampled int, unique bool, rangeMax int, opts ...tf.Option) (sampled, trueExpectedCount, sampledExpectedCount *tf.Tensor) {
	return candidateSampler(logUniformSampler, trueClasses, numTrue, numSampled, unique, rangeMax, opts, "seed", "name")
}

// UniformCandidateSampler is LogUniformCandidateSampler with the uniform
// distribution P(class) = 1/rangeMax (tf.nn.uniform_candidate_sampler).
// Options: tf.Seed, tf.Name.
func UniformCandidateSampler(trueClasses any, numTrue, numSampled int, unique bool, rangeMax int, opts ...tf.Option) (sampled, trueExpectedCount, sampledExpectedCount *tf.Tensor) {
	return candidateSampler(uniformSampler, trueClasses, numTrue, numSampled, unique, rangeMax, opts, "seed", "name")
}

// FixedUnigramCandidateSampler is LogUniformCandidateSampler with
// P(class) proportional to unigrams[class - numReservedIDs]^distortion, 0 for
// the first numReservedIDs classes (tf.nn.fixed_unigram_candidate_sampler
// with unigrams=; TF's vocab_file is not read). len(unigrams) +
// numReservedIDs must equal rangeMax.
// Options: tf.Unigrams (required), tf.Distortion (default 1),
// tf.NumReservedIDs (default 0), tf.Seed, tf.Name.
func FixedUnigramCandidateSampler(trueClasses any, numTrue, numSampled int, unique bool, rangeMax int, opts ...tf.Option) (sampled, trueExpectedCount, sampledExpectedCount *tf.Tensor) {
	return candidateSampler(unigramSampler, trueClasses, numTrue, numSampled, unique, rangeMax, opts, "unigrams", "distortion", "num_reserved_ids", "seed", "name")
}

func candidateSampler(kind samplerKind, trueClasses any, numTrue, numSampled int, unique bool, rangeMax int, opts []tf.Option, allowed ...string) (s, te, se *tf.Tensor) {
	fn := "nn." + samplerNames[kind]
	fail := func(err error) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
		t := tfimpl.ErrTensor(err)
		return t, t, t
	}
	a, err := tfimpl.ParseArgs(fn, opts, allowed...)
	if err != nil {
		return fail(err)
	}
	site := tfimpl.CallerSite()
	switch {
	case rangeMax <= 0:
		return fail(errors.Errorf("%s at %s: range_max %d must be positive", fn, site, rangeMax))
	case numSampled <= 0:
		return fail(errors.Errorf("%s at %s: num_sampled %d must be positive", fn, site, numSampled))
	case numTrue <= 0:
		return fail(errors.Errorf("%s at %s: num_true %d must be positive", fn, site, numTrue))
	case unique && numSampled > rangeMax:
		return fail(errors.Errorf("%s at %s: num_sampled %d is larger than range_max %d: cannot sample that many distinct classes", fn, site, numSampled, rangeMax))
	}
	d := &distribution{kind: kind, rangeMax: rangeMax, logRange: math.Log(float64(rangeMax) + 1)}
	if kind == unigramSampler {
		u, res := a.Unigrams(), a.NumReservedIDs()
		if len(u) == 0 {
			return fail(errors.Errorf("%s at %s: needs tf.Unigrams", fn, site))
		}
		if res < 0 || len(u)+res != rangeMax {
			return fail(errors.Errorf("%s at %s: %d unigrams and %d reserved ids for range_max %d; they must add up to it", fn, site, len(u), res, rangeMax))
		}
		d.unigrams, d.distortion, d.reserved = append([]float64(nil), u...), a.Distortion(), res
		d.weights = make([]float64, rangeMax)
		d.cum = make([]float64, rangeMax)
		for i, w := range u {
			if w < 0 || math.IsNaN(w) {
				return fail(errors.Errorf("%s at %s: unigrams[%d] = %v is negative", fn, site, i, w))
			}
			d.weights[res+i] = math.Pow(w, a.Distortion())
		}
		for i, w := range d.weights {
			d.total += w
			d.cum[i] = d.total
		}
		if d.total <= 0 {
			return fail(errors.Errorf("%s at %s: unigrams sum to zero", fn, site))
		}
	}
	tc := asTensor(trueClasses, tf.Int64)
	if tc.Err() != nil {
		return fail(tc.Err())
	}
	if !tc.DType().IsInteger() {
		return fail(errors.Errorf("%s at %s: true_classes have dtype %s; want int64 (or int32)", fn, site, tc.DType()))
	}
	if sh := tc.Shape(); sh != nil && (len(sh) != 2 || sh[1] >= 0 && sh[1] != numTrue) {
		return fail(errors.Errorf("%s at %s: true_classes have shape %v; want [batch, num_true=%d]", fn, site, sh, numTrue))
	}
	seedOp, have := a.Seed()
	s1, s2 := tc.Graph().GetSeed(seedOp, have)
	name := a.Name()
	if name == "" {
		name = samplerNames[kind]
	}
	op := tf.AddOp(tf.OpSpec{Def: samplerDef, Name: name, Inputs: []any{tc}, Attrs: tf.Attrs{
		"dist": d, "num_sampled": numSampled, "unique": unique, "seed": s1, "seed2": s2}})
	return op.Output(0), op.Output(1), op.Output(2)
}

// ExportSampler names TF's op sampling from d and its range, for
// tf.Graph.AsGraphDef.
func (d *distribution) ExportSampler() (op string, rangeMax int, ok bool) {
	return samplerNames[d.kind], d.rangeMax, true
}

// ExportUnigrams gives the fixed unigram sampler's unigrams, distortion
// and number of reserved ids (TF's op attrs; ok false for the other
// samplers).
func (d *distribution) ExportUnigrams() (unigrams []float64, distortion float64, numReservedIDs int, ok bool) {
	if d.kind != unigramSampler {
		return nil, 0, 0, false
	}
	return d.unigrams, d.distortion, d.reserved, true
}
