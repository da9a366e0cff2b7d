package nn

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ---- sigmoid cross-entropy ----

func sigmoidXent[T float](x, z, out []T) {
	for i := range out {
		xi := float64(x[i])
		out[i] = T(math.Max(xi, 0) - xi*float64(z[i]) + math.Log1p(math.Exp(-math.Abs(xi))))
	}
}

var sigmoidXentDef = &tf.OpDef{
	Type: "SigmoidCrossEntropyWithLogits",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		z, x := in[0], in[1]
		if !x.DType.IsFloating() || z.DType != x.DType {
			return nil, errors.Errorf("labels (%s) and logits (%s) must have one floating-point dtype", z.DType, x.DType)
		}
		if z.Shape != nil && x.Shape != nil && (len(z.Shape) != len(x.Shape) || !z.Shape.IsCompatibleWith(x.Shape)) {
			return nil, errors.Errorf("logits and labels must have the same shape (%v vs %v)", x.Shape, z.Shape)
		}
		return []tf.Spec{x}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		if !tf.Shape(c.In[0].Shape()).Equal(tf.Shape(c.In[1].Shape())) {
			return errors.Errorf("logits and labels must have the same shape (%v vs %v)", c.In[1].Shape(), c.In[0].Shape())
		}
		out := c.AllocUninit(0)
		switch o := out.Data().(type) {
		case []float32:
			sigmoidXent(c.In[1].Data().([]float32), c.In[0].Data().([]float32), o)
		case []float64:
			sigmoidXent(c.In[1].Data().([]float64), c.In[0].Data().([]float64), o)
		}
		return nil
	},
}

// SigmoidCrossEntropyWithLogits returns the elementwise logistic loss
// max(x, 0) - x*z + log(1 + exp(-|x|)) of logits x against labels z in
// [0, 1] (tf.nn.sigmoid_cross_entropy_with_logits), computed stably. labels
// take logits' dtype; the two must have the same shape.
//
// Options: tf.Name.
func SigmoidCrossEntropyWithLogits(labels, logits any, opts ...tf.Option) *tf.Tensor {
	name, err := nameArg("nn.SigmoidCrossEntropyWithLogits", opts)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	x := asTensor(logits, tf.Invalid)
	if x.Err() != nil {
		return x
	}
	z := asTensor(labels, x.DType())
	if z.Err() != nil {
		return z
	}
	if z.DType() != x.DType() && z.DType().IsFloating() != x.DType().IsFloating() {
		z = tf.Cast(z, x.DType())
	}
	return tf.AddOp(tf.OpSpec{Def: sigmoidXentDef, Name: name, Inputs: []any{z, x}}).Output(0)
}

func nameArg(fn string, opts []tf.Option) (string, error) {
	a, err := tfimpl.ParseArgs(fn, opts, "name")
	if err != nil {
		return "", err
	}
	return a.Name(), nil
}

// ---- accidental hits ----

// accidentalHitsDef gives [batch, num_sampled] of -FLT_MAX where sampled
// class j equals one of row i's labels, 0 elsewhere: what TF's
// compute_accidental_hits and sparse_to_dense add to the sampled logits.
var accidentalHitsDef = &tf.OpDef{
	Type: "ComputeAccidentalHits",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		b := tf.None
		if in[0].Shape != nil {
			b = in[0].Shape[0]
		}
		return []tf.Spec{{DType: a["dtype"].(tf.DType), Shape: tf.Shape{b, in[1].Shape[0]}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		labels, sampled := idList(c.In[0]), idList(c.In[1])
		out := c.Alloc(0)
		ns := len(sampled)
		nt := c.Attrs().Int("num_true", 1)
		at := make(map[int][]int, ns)
		for j, s := range sampled {
			at[s] = append(at[s], j)
		}
		for i, l := range labels {
			for _, j := range at[l] {
				k := (i/nt)*ns + j
				switch o := out.Data().(type) {
				case []float32:
					o[k] = -math.MaxFloat32
				case []float64:
					o[k] = -math.MaxFloat32
				}
			}
		}
		return nil
	},
}

// ---- sampled logits ----

// checkLabelsDef passes the labels (input 0) through after checking, when
// the shapes are known (at Run time always), that they are [batch,
// num_true] with the batch of the inputs (input 1): a clear error naming
// the loss and the user's call, where the loss's arithmetic would fail
// further on with a broadcasting error or, for rank-1 labels, not at all.
var checkLabelsDef = &tf.OpDef{
	Type: "CheckSampledLabels",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		ls, is := in[0].Shape, in[1].Shape
		numTrue := a.Int("num_true", 1)
		if ls != nil && (len(ls) != 2 || ls[1] >= 0 && ls[1] != numTrue || is != nil && len(is) > 0 && ls[0] >= 0 && is[0] >= 0 && ls[0] != is[0]) {
			return nil, errors.Errorf("%s: labels have shape %v; want [batch, num_true] = [%v, %d] (inputs have shape %v)", a["fn"], ls, batchOf(is), numTrue, is)
		}
		return []tf.Spec{in[0]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		c.Set(0, c.In[0])
		return nil
	},
}

// sampledArgs are the parsed arguments of a sampled loss.
type sampledArgs struct {
	fn                              string
	numSampled, numClasses, numTrue int
	removeHits, subtractLogQ        bool
	sampled                         []*tf.Tensor
	partition                       tf.Partition
	seed                            int64
	haveSeed                        bool
	weights                         any
	biases, labels, inputs          *tf.Tensor
}

func parseSampled(fn string, weights, biases, labels, inputs any, numSampled, numClasses int, removeHits bool, opts []tf.Option) (*sampledArgs, string, error) {
	a, err := tfimpl.ParseArgs(fn, opts, "num_true", "sampled_values", "remove_accidental_hits", "partition_strategy", "subtract_log_q", "seed", "name")
	if err != nil {
		return nil, "", err
	}
	s := &sampledArgs{fn: fn, numSampled: numSampled, numClasses: numClasses, numTrue: a.NumTrue(),
		removeHits: removeHits, subtractLogQ: a.SubtractLogQ(), sampled: a.SampledValues(), partition: a.PartitionStrategy(), weights: weights}
	if a.Given("remove_accidental_hits") {
		s.removeHits = a.RemoveAccidentalHits()
	}
	s.seed, s.haveSeed = a.Seed()
	site := tfimpl.CallerSite()
	if numClasses <= 0 || numSampled <= 0 || s.numTrue <= 0 {
		return nil, "", errors.Errorf("%s at %s: num_classes %d, num_sampled %d and num_true %d must be positive", fn, site, numClasses, numSampled, s.numTrue)
	}
	if s.sampled == nil && numSampled > numClasses {
		return nil, "", errors.Errorf("%s at %s: num_sampled %d is larger than num_classes %d: cannot sample that many distinct classes", fn, site, numSampled, numClasses)
	}
	if s.sampled != nil {
		for i, t := range s.sampled {
			if t == nil {
				return nil, "", errors.Errorf("%s at %s: sampled_values[%d] is nil", fn, site, i)
			}
			if t.Err() != nil {
				return nil, "", t.Err()
			}
		}
		if sh := s.sampled[0].Shape(); sh != nil && (len(sh) != 1 || sh[0] >= 0 && sh[0] != numSampled) {
			return nil, "", errors.Errorf("%s at %s: sampled candidates have shape %v; want [num_sampled=%d]", fn, site, sh, numSampled)
		}
	}
	s.inputs = asTensor(inputs, tf.Invalid)
	if s.inputs.Err() != nil {
		return nil, "", s.inputs.Err()
	}
	if sh := s.inputs.Shape(); !s.inputs.DType().IsFloating() || sh != nil && len(sh) != 2 {
		return nil, "", errors.Errorf("%s at %s: inputs are %s; want float [batch, dim]", fn, site, s.inputs.Spec())
	}
	s.biases = asTensor(biases, s.inputs.DType())
	if s.biases.Err() != nil {
		return nil, "", s.biases.Err()
	}
	if sh := s.biases.Shape(); sh != nil && (len(sh) != 1 || sh[0] >= 0 && sh[0] != numClasses) {
		return nil, "", errors.Errorf("%s at %s: biases have shape %v; want [num_classes=%d]", fn, site, sh, numClasses)
	}
	s.labels = asTensor(labels, tf.Int64)
	if s.labels.Err() != nil {
		return nil, "", s.labels.Err()
	}
	if !s.labels.DType().IsInteger() {
		return nil, "", errors.Errorf("%s at %s: labels have dtype %s; want int64 (or int32)", fn, site, s.labels.DType())
	}
	ls, is := s.labels.Shape(), s.inputs.Shape()
	if ls != nil && (len(ls) != 2 || ls[1] >= 0 && ls[1] != s.numTrue || is != nil && ls[0] >= 0 && is[0] >= 0 && ls[0] != is[0]) {
		return nil, "", errors.Errorf("%s at %s: labels have shape %v; want [batch, num_true] = [%v, %d]", fn, site, ls, batchOf(is), s.numTrue)
	}
	return s, a.Name(), nil
}

func batchOf(s tf.Shape) any {
	if len(s) == 0 || s[0] < 0 {
		return "?"
	}
	return s[0]
}

// logits builds TF's _compute_sampled_logits: the logits of the true
// classes and of the sampled ones, [batch, num_true + num_sampled], and
// their labels (1/num_true for the true classes, 0 for the sampled).
func (s *sampledArgs) logits() (logits, labels *tf.Tensor) {
	dt := s.inputs.DType()
	lab := tf.AddOp(tf.OpSpec{Def: checkLabelsDef, Name: "labels", Inputs: []any{s.labels, s.inputs},
		Attrs: tf.Attrs{"num_true": s.numTrue, "fn": s.fn}}).Output(0)
	if lab.DType() != tf.Int64 {
		lab = tf.Cast(lab, tf.Int64)
	}
	sv := s.sampled
	if sv == nil {
		var opts []tf.Option
		if s.haveSeed {
			opts = append(opts, tf.Seed(s.seed))
		}
		a, b, c := LogUniformCandidateSampler(lab, s.numTrue, s.numSampled, true, s.numClasses, opts...)
		sv = []*tf.Tensor{a, b, c}
	}
	sampled, trueExp, sampledExp := sv[0], sv[1], sv[2]
	if sampled.DType() != tf.Int64 {
		sampled = tf.Cast(sampled, tf.Int64)
	}
	labelsFlat := tf.Reshape(lab, []int{-1})
	popts := tf.PartitionStrategy(s.partition)
	trueW := EmbeddingLookup(s.weights, labelsFlat, popts)              // [batch*num_true, dim]
	sampledW := EmbeddingLookup(s.weights, sampled, popts)              // [num_sampled, dim]
	trueB := EmbeddingLookup(s.biases, labelsFlat)                      // [batch*num_true]
	sampledB := EmbeddingLookup(s.biases, sampled)                      // [num_sampled]
	sampledLogits := tf.MatMul(s.inputs, sampledW, tf.TransposeB(true)) // [batch, num_sampled]
	dim := tf.None
	if ws := sampledW.Shape(); ws != nil {
		dim = ws[1]
	}
	var trueLogits *tf.Tensor
	if s.numTrue == 1 {
		trueLogits = tf.ReduceSum(tf.Mul(s.inputs, trueW), tf.Axis(1), tf.KeepDims(true))
	} else {
		if dim < 0 {
			return tfimpl.ErrTensor(errors.Errorf("%s: with num_true %d the embedding size must be known", s.fn, s.numTrue)), nil
		}
		rowWise := tf.Mul(tf.ExpandDims(s.inputs, 1), tf.Reshape(trueW, []int{-1, s.numTrue, dim}))
		trueLogits = tf.ReduceSum(rowWise, tf.Axis(2))
	}
	trueLogits = tf.Add(trueLogits, tf.Reshape(trueB, []int{-1, s.numTrue}))
	sampledLogits = tf.Add(sampledLogits, sampledB)
	if s.removeHits {
		hits := tf.AddOp(tf.OpSpec{Def: accidentalHitsDef, Name: "accidental_hits", Inputs: []any{lab, sampled},
			Attrs: tf.Attrs{"dtype": dt, "num_true": s.numTrue}}).Output(0)
		sampledLogits = tf.Add(sampledLogits, hits)
	}
	if s.subtractLogQ {
		trueLogits = tf.Sub(trueLogits, tf.Log(castTo(trueExp, dt)))
		sampledLogits = tf.Sub(sampledLogits, tf.Log(castTo(sampledExp, dt)))
	}
	logits = tf.Concat([]*tf.Tensor{trueLogits, sampledLogits}, 1)
	labels = tf.Concat([]*tf.Tensor{tf.Div(tf.OnesLike(trueLogits), float64(s.numTrue)), tf.ZerosLike(sampledLogits)}, 1)
	return logits, labels
}

func castTo(t *tf.Tensor, dt tf.DType) *tf.Tensor {
	if t.DType() == dt {
		return t
	}
	return tf.Cast(t, dt)
}

// NCELoss returns the noise-contrastive estimation loss of each example,
// [batch] (tf.nn.nce_loss): the sigmoid cross-entropy of the true classes'
// logits against 1/num_true and of numSampled sampled classes' logits
// against 0, summed per example. weights are [numClasses, dim] (or a list
// of shards, as EmbeddingLookup takes), biases [numClasses], labels int64
// (or int32) [batch, num_true], inputs [batch, dim]. The logits are
// inputs·w + b minus the log of each class's expected count (subtract_log_q).
// Without tf.SampledValues the classes are drawn in the graph by
// LogUniformCandidateSampler(labels, num_true, numSampled, unique=true,
// numClasses), anew at each Run. Gradients of weights and biases are
// sparse.
//
// Options: tf.NumTrue (1), tf.SampledValues, tf.RemoveAccidentalHits
// (false), tf.PartitionStrategy, tf.Seed, tf.Name (default "nce_loss").
func NCELoss(weights, biases, labels, inputs any, numSampled, numClasses int, opts ...tf.Option) *tf.Tensor {
	s, name, err := parseSampled("nn.NCELoss", weights, biases, labels, inputs, numSampled, numClasses, false, opts)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if name == "" {
		name = "nce_loss"
	}
	defer s.inputs.Graph().NameScope(name)()
	logits, lab := s.logits()
	if lab == nil {
		return logits
	}
	return tf.ReduceSum(SigmoidCrossEntropyWithLogits(lab, logits, tf.Name("sampled_losses")), tf.Axis(1))
}

// SampledSoftmaxLoss returns the sampled softmax loss of each example,
// [batch] (tf.nn.sampled_softmax_loss): the softmax cross-entropy over the
// true classes' and numSampled sampled classes' logits, with labels
// 1/num_true on the true classes. Arguments as NCELoss; sampled classes
// equal to a true class are removed by default (remove_accidental_hits).
//
// Options: tf.NumTrue (1), tf.SampledValues, tf.RemoveAccidentalHits
// (true), tf.PartitionStrategy, tf.Seed, tf.Name (default
// "sampled_softmax_loss").
func SampledSoftmaxLoss(weights, biases, labels, inputs any, numSampled, numClasses int, opts ...tf.Option) *tf.Tensor {
	s, name, err := parseSampled("nn.SampledSoftmaxLoss", weights, biases, labels, inputs, numSampled, numClasses, true, opts)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if name == "" {
		name = "sampled_softmax_loss"
	}
	defer s.inputs.Graph().NameScope(name)()
	logits, lab := s.logits()
	if lab == nil {
		return logits
	}
	return SoftmaxCrossEntropyWithLogitsV2(lab, logits)
}

func init() {
	sigmoidXentDef.Grad = sigmoidXentGrad
}

// sigmoidXentGrad is the gradient TF 1.x computes for
// sigmoid_cross_entropy_with_logits, which it builds from ops:
//
//	cond = logits >= 0
//	relu_logits = where(cond, logits, 0)
//	neg_abs_logits = where(cond, -logits, logits)
//	loss = (relu_logits - logits*labels) + log1p(exp(neg_abs_logits))
//
// so that tf.gradients sums, with AddN in the order it meets them, the
// gradients of where, mul, where and neg. By logits that is sigmoid(x) - z,
// but computed as (1 - z) - e/(1+e) (e = exp(-|x|), for x >= 0) it keeps
// its relative precision where a large logit agrees with its label, which
// sigmoid(x) - z in float32 loses from |x| of a few units on (0 from
// about 17): late in training, when the loss is 1e-4, that is most of the
// examples.
func sigmoidXentGrad(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
	z, x, g := op.Inputs()[0], op.Inputs()[1], dy[0]
	zeros := tf.ZerosLike(x)
	cond := tf.GreaterEqual(x, zeros)
	e := tf.Exp(tf.Where(cond, tf.Neg(x), x))
	// Log1p's gradient (grad/(1+e)), then Exp's (times e).
	gExp := tf.Mul(tf.Mul(g, tf.Reciprocal(tf.Add(1, e))), e)
	gz := tf.Neg(g) // Sub's gradient of logits*labels
	dx := tf.AddN(
		tf.Where(cond, g, zeros),            // relu_logits
		tf.Mul(gz, z),                       // logits*labels
		tf.Where(cond, zeros, gExp),         // neg_abs_logits where x < 0
		tf.Neg(tf.Where(cond, gExp, zeros))) // -logits where x >= 0
	return []*tf.Tensor{tf.Mul(gz, x), dx}
}
