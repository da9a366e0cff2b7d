// Package summary writes what TensorBoard shows, as TF 1.x's tf.summary:
// summary ops (Scalar, Histogram, Merge, MergeAll) whose values are
// serialized Summary protocol buffers (tf.String scalars), and FileWriter,
// which writes them, with the graph, to event files in a log directory.
//
//	mseSummary := summary.Scalar("MSE", mse)
//	fileWriter, err := summary.NewFileWriter(logdir, tf.DefaultGraph())
//	...
//	s, err := sess.Eval(mseSummary, feed)
//	fileWriter.AddSummary(s, step)
//	...
//	fileWriter.Close()
//
// Event files are TFRecord files of Event protos, named
// events.out.tfevents.<seconds>.<host>, as TF names them; TensorBoard
// (tensorboard --logdir <logdir>) reads them.
//
// # Errors
//
// Summary constructors return tensors carrying their errors, as package
// tf's; running a histogram of values holding NaN or Inf fails as TF's
// ("Nan in summary histogram for: name"). FileWriter's methods return
// errors and never panic.
package summary

import (
	"math"
	"sort"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

func stringScalar(s string) *tensor.Dense {
	return tensor.New(tensor.WithShape(), tensor.WithBacking([]string{s}))
}

func stringInfer(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	return []tf.Spec{{DType: tf.String, Shape: tf.Shape{}}}, nil
}

var scalarDef = &tf.OpDef{
	Type: "ScalarSummary",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("a scalar summary needs a number, not %s", in[0].DType)
		}
		if in[0].Shape != nil && in[0].Shape.IsFullyDefined() && in[0].Shape.NumElements() != 1 {
			return nil, errors.Errorf("tags and values not the same shape: [] != %v (tag '%s')", in[0].Shape, a["tag"])
		}
		return stringInfer(a, in)
	},
	Kernel: func(c *tf.KernelContext) error {
		x := tfimpl.Float64s(c.In[0])
		if len(x) != 1 {
			return errors.Errorf("tags and values not the same shape: [] != %v (tag '%s')", c.In[0].Shape(), c.Op.Name())
		}
		v := pb.New().String(1, "tag", c.Op.Name()).Float(2, "simple_value", float32(x[0]))
		c.Out[0] = stringScalar(string(pb.New().Msg(1, "value", v).Marshal()))
		return nil
	},
}

// Scalar returns a summary of one number (tf.summary.scalar): the value of
// t, which must have one element, under the tag name, prefixed by the open
// name scopes and made unique as op names are ("MSE", "MSE_1", as TF's
// summary scopes make them). The summary op has the same name.
func Scalar(name string, t *tf.Tensor) *tf.Tensor {
	if t == nil {
		return tfimpl.ErrTensor(errors.Errorf("summary.Scalar at %s: tensor is nil", tfimpl.CallerSite()))
	}
	return tf.AddOp(tf.OpSpec{Def: scalarDef, Name: name, Inputs: []any{t}, Attrs: tf.Attrs{"tag": name}}).Output(0)
}

var histogramDef = &tf.OpDef{
	Type: "HistogramSummary",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("a histogram summary needs numbers, not %s", in[0].DType)
		}
		return stringInfer(a, in)
	},
	Kernel: func(c *tf.KernelContext) error {
		h := newHistogram()
		for _, x := range tfimpl.Float64s(c.In[0]) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return errors.Errorf("Nan in summary histogram for: %s", c.Op.Name())
			}
			h.add(x)
		}
		v := pb.New().String(1, "tag", c.Op.Name()).Msg(5, "histo", h.proto())
		c.Out[0] = stringScalar(string(pb.New().Msg(1, "value", v).Marshal()))
		return nil
	},
}

// Histogram returns a summary of the distribution of values
// (tf.summary.histogram), bucketed as TF's histogram (buckets growing by
// 10% from 1e-12 to 1e20 on both sides of zero, empty runs collapsed).
func Histogram(name string, values any) *tf.Tensor {
	return tf.AddOp(tf.OpSpec{Def: histogramDef, Name: name, Inputs: []any{values}, Attrs: tf.Attrs{"tag": name}}).Output(0)
}

var mergeDef = &tf.OpDef{
	Type: "MergeSummary",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		for i, s := range in {
			if s.DType != tf.String {
				return nil, errors.Errorf("input %d is %s, not a summary (string)", i, s.DType)
			}
		}
		return stringInfer(a, in)
	},
	Kernel: func(c *tf.KernelContext) error {
		// Serialized messages concatenate into their merge: the values of
		// each input Summary, in order.
		var out []byte
		seen := map[string]bool{}
		for _, in := range c.In {
			s := in.ScalarValue().(string)
			fs, err := pb.Parse([]byte(s))
			if err != nil {
				return errors.Wrap(err, "Could not parse one of the summary inputs")
			}
			for _, f := range fs {
				if f.Num != 1 {
					continue
				}
				vs, err := pb.Parse(f.Bytes)
				if err != nil {
					return errors.Wrap(err, "Could not parse one of the summary inputs")
				}
				for _, v := range vs {
					if v.Num == 1 {
						if seen[string(v.Bytes)] {
							return errors.Errorf("Duplicate tag %s found in summary inputs", v.Bytes)
						}
						seen[string(v.Bytes)] = true
					}
				}
			}
			out = append(out, s...)
		}
		c.Out[0] = stringScalar(string(out))
		return nil
	},
}

// Merge returns one summary holding the values of summaries
// (tf.summary.merge).
func Merge(summaries []*tf.Tensor) *tf.Tensor {
	if len(summaries) == 0 {
		return tfimpl.ErrTensor(errors.Errorf("summary.Merge at %s: no summaries given", tfimpl.CallerSite()))
	}
	in := make([]any, len(summaries))
	for i, s := range summaries {
		in[i] = s
	}
	return tf.AddOp(tf.OpSpec{Def: mergeDef, Name: "Merge/MergeSummary", Inputs: in}).Output(0)
}

// MergeAll returns the merge of every Scalar, Histogram, Image and Text summary of the
// default graph (tf.summary.merge_all), or nil when it has none, as TF's
// returns None.
func MergeAll() *tf.Tensor {
	var list []*tf.Tensor
	for _, op := range tf.DefaultGraph().Operations() {
		if d := tfimpl.Def(op); d == scalarDef || d == histogramDef || d == imageDef || d == textDef {
			list = append(list, op.Output(0))
		}
	}
	if len(list) == 0 {
		return nil
	}
	return Merge(list)
}

// histogram is TF's histogram::Histogram with its default buckets.
type histogram struct {
	min, max, num, sum, sumSq float64
	counts                    []float64
}

var defaultLimits = func() []float64 {
	var pos []float64
	for v := 1e-12; v < 1e20; v *= 1.1 {
		pos = append(pos, v)
	}
	pos = append(pos, math.MaxFloat64)
	out := make([]float64, 0, 2*len(pos)+1)
	for i := len(pos) - 1; i >= 0; i-- {
		out = append(out, -pos[i])
	}
	out = append(out, 0)
	return append(out, pos...)
}()

// DefaultBucketLimits returns the upper bucket limits of TF's histograms.
func DefaultBucketLimits() []float64 { return append([]float64(nil), defaultLimits...) }

func newHistogram() *histogram {
	return &histogram{min: math.MaxFloat64, max: -math.MaxFloat64, counts: make([]float64, len(defaultLimits))}
}

func (h *histogram) add(x float64) {
	b := sort.Search(len(defaultLimits), func(i int) bool { return defaultLimits[i] > x }) // upper_bound
	h.counts[b]++
	h.min = math.Min(h.min, x)
	h.max = math.Max(h.max, x)
	h.num++
	h.sum += x
	h.sumSq += x * x
}

// proto returns the HistogramProto as TF's EncodeToProto writes it, runs of
// empty buckets collapsed into one.
func (h *histogram) proto() *pb.Message {
	var limits, counts []float64
	for i := 0; i < len(h.counts); {
		end, count := defaultLimits[i], h.counts[i]
		i++
		if count <= 0 {
			for i < len(h.counts) && h.counts[i] <= 0 {
				end, count = defaultLimits[i], h.counts[i]
				i++
			}
		}
		limits = append(limits, end)
		counts = append(counts, count)
	}
	return pb.New().Double(1, "min", h.min).Double(2, "max", h.max).Double(3, "num", h.num).
		Double(4, "sum", h.sum).Double(5, "sum_squares", h.sumSq).
		PackedDoubles(6, "bucket_limit", limits).PackedDoubles(7, "bucket", counts)
}
