package losses_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/losses"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// Expected values come from plain loops over TF's documented formulas
// (losses_impl.py): the per-element losses, then the weights broadcast to
// their shape and the reduction.

var (
	pred   = [][]float64{{0.2, 0.7}, {0.9, 0.4}, {0.55, 0.05}}
	labels = [][]float64{{0, 1}, {1, 1}, {0, 0.5}}
)

// elementwise applies f to pred and labels.
func elementwise(f func(p, l float64) float64) []float64 {
	var out []float64
	for i := range pred {
		for j := range pred[i] {
			out = append(out, f(pred[i][j], labels[i][j]))
		}
	}
	return out
}

// reduceRef weights per-element losses of shape [3, 2] by w (broadcast,
// given flattened to [3, 2]) and reduces them. numberWeight says the
// weights were a non-zero Go number (TF then divides by the element
// count).
func reduceRef(l, w []float64, reduction string, numberWeight bool) []float64 {
	wl := make([]float64, len(l))
	sum, wsum, nonzero := 0.0, 0.0, 0.0
	for i := range l {
		wl[i] = l[i] * w[i]
		sum += wl[i]
		wsum += w[i]
		if w[i] != 0 {
			nonzero++
		}
	}
	div := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	}
	switch reduction {
	case losses.None:
		return wl
	case losses.Sum:
		return []float64{sum}
	case losses.Mean:
		return []float64{div(sum, wsum)}
	case losses.SumOverBatchSize:
		return []float64{div(sum, float64(len(l)))}
	}
	if numberWeight {
		return []float64{div(sum, float64(len(l)))}
	}
	return []float64{div(sum, nonzero)}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

type lossCase struct {
	name string
	fn   func(labels, predictions any, opts ...tf.Option) *tf.Tensor
	opts []tf.Option
	ref  func(p, l float64) float64
}

var lossCases = []lossCase{
	{"MeanSquaredError", losses.MeanSquaredError, nil, func(p, l float64) float64 { return (p - l) * (p - l) }},
	{"AbsoluteDifference", losses.AbsoluteDifference, nil, func(p, l float64) float64 { return math.Abs(p - l) }},
	{"HuberLoss", losses.HuberLoss, nil, func(p, l float64) float64 {
		if e := math.Abs(p - l); e > 1 {
			return e - 0.5
		}
		return 0.5 * (p - l) * (p - l)
	}},
	{"HuberLossDelta", losses.HuberLoss, []tf.Option{tf.Delta(0.3)}, func(p, l float64) float64 {
		if e := math.Abs(p - l); e > 0.3 {
			return 0.5*0.09 + 0.3*(e-0.3)
		}
		return 0.5 * (p - l) * (p - l)
	}},
	{"LogLoss", losses.LogLoss, nil, func(p, l float64) float64 {
		return -l*math.Log(p+1e-7) - (1-l)*math.Log(1-p+1e-7)
	}},
	{"LogLossEpsilon", losses.LogLoss, []tf.Option{tf.Epsilon(0.01)}, func(p, l float64) float64 {
		return -l*math.Log(p+0.01) - (1-l)*math.Log(1-p+0.01)
	}},
	{"SigmoidCrossEntropy", losses.SigmoidCrossEntropy, nil, func(x, z float64) float64 {
		return -z*math.Log(sigmoid(x)) - (1-z)*math.Log(1-sigmoid(x))
	}},
	{"SigmoidCrossEntropySmoothed", losses.SigmoidCrossEntropy, []tf.Option{tf.LabelSmoothing(0.2)}, func(x, z float64) float64 {
		z = z*0.8 + 0.1
		return -z*math.Log(sigmoid(x)) - (1-z)*math.Log(1-sigmoid(x))
	}},
}

var weightCases = []struct {
	name   string
	w      any
	flat   []float64 // broadcast to [3, 2]
	number bool
}{
	{"default", nil, []float64{1, 1, 1, 1, 1, 1}, true},
	{"scalar 2.5", 2.5, []float64{2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, true},
	{"scalar 0", 0.0, []float64{0, 0, 0, 0, 0, 0}, false},
	{"per example with a zero", [][]float64{{2}, {0}, {0.5}}, []float64{2, 2, 0, 0, 0.5, 0.5}, false},
	{"per element", [][]float64{{1, 0}, {3, 0.25}, {0, 2}}, []float64{1, 0, 3, 0.25, 0, 2}, false},
	{"per class", []float64{0.5, 2}, nil, false}, // rank 1 against rank 2: not broadcastable, TF's rule
}

func TestLossValues(t *testing.T) {
	reductions := []string{losses.SumByNonzeroWeights, losses.None, losses.Sum, losses.Mean, losses.SumOverBatchSize}
	for _, c := range lossCases {
		for _, wc := range weightCases {
			for _, r := range reductions {
				for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", c.name, wc.name, r, dt), func(t *testing.T) {
						g := tf.NewGraph()
						defer g.AsDefault()()
						opts := append([]tf.Option{tf.Reduction(r)}, c.opts...)
						if wc.w != nil {
							opts = append(opts, tf.Weights(wc.w))
						}
						p := tf.Placeholder(dt, tf.Shape{tf.None, 2})
						loss := c.fn(tf.Constant(labels, dt), p, opts...)
						if wc.flat == nil {
							if loss.Err() == nil || !strings.Contains(loss.Err().Error(), "cannot broadcast") {
								t.Errorf("weights %v: error %v, want one about broadcasting", wc.w, loss.Err())
							}
							return
						}
						if loss.Err() != nil {
							t.Fatal(loss.Err())
						}
						if loss.DType() != dt {
							t.Errorf("dtype %s, want %s", loss.DType(), dt)
						}
						want := reduceRef(elementwise(c.ref), wc.flat, r, wc.number)
						sess := session.New(session.WithGraph(g))
						defer sess.Close()
						out, err := sess.Run(loss, session.Feed{p: pred})
						if err != nil {
							t.Fatal(err)
						}
						tol := 1e-12
						if dt == tf.Float32 {
							tol = 2e-6
						}
						if ok, msg := tftest.AllClose(out[0].Float64s(), want, tol, tol); !ok {
							t.Errorf("%s: got %v, want %v", msg, out[0].Float64s(), want)
						}
					})
				}
			}
		}
	}
}

func TestSoftmaxLosses(t *testing.T) {
	logits := [][]float64{{1, 2, 0.5}, {-1, 0.3, 3}, {0.2, 0.2, -2}}
	onehot := [][]float64{{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}
	ids := []int32{1, 0, 2}
	ref := func(smooth float64, w []float64) float64 {
		sum, n := 0.0, 0.0
		for i, row := range logits {
			m := math.Max(row[0], math.Max(row[1], row[2]))
			s := 0.0
			for _, v := range row {
				s += math.Exp(v - m)
			}
			l := 0.0
			for j, v := range row {
				z := onehot[i][j]*(1-smooth) + smooth/3
				l -= z * (v - m - math.Log(s))
			}
			sum += l * w[i]
			if w[i] != 0 {
				n++
			}
		}
		return sum / n
	}
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	w := []float64{1, 0, 2}
	fetch := []*tf.Tensor{
		losses.SoftmaxCrossEntropy(onehot, x),
		losses.SoftmaxCrossEntropy(onehot, x, tf.LabelSmoothing(0.3), tf.Weights(w)),
		losses.SparseSoftmaxCrossEntropy(ids, x),
		losses.SparseSoftmaxCrossEntropy(tf.Constant([][]int32{{1}, {0}, {2}}, tf.Int32), x, tf.Weights(w)),
	}
	for _, f := range fetch {
		if f.Err() != nil {
			t.Fatal(f.Err())
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	out, err := sess.Run(fetch, session.Feed{x: logits})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{ref(0, []float64{1, 1, 1}), ref(0.3, w), ref(0, []float64{1, 1, 1}), ref(0, w)}
	for i, o := range out {
		if ok, msg := tftest.AllClose(o.Float64s(), want[i:i+1], 1e-12, 1e-12); !ok {
			t.Errorf("loss %d (%s): %s", i, fetch[i].Name(), msg)
		}
	}
	if n := fetch[0].Op().Name(); n != "softmax_cross_entropy_loss/value" {
		t.Errorf("loss op %q, want softmax_cross_entropy_loss/value", n)
	}
	// The labels get no gradient through the loss (TF's stop_gradient).
	lab := tf.Placeholder(tf.Float64, tf.Shape{3, 3})
	d, err := tf.Gradients([]*tf.Tensor{losses.SoftmaxCrossEntropy(lab, x)}, []any{lab, x})
	if err != nil || d[0] != nil || d[1] == nil {
		t.Errorf("gradients %v (%v): want none for the labels, one for the logits", d, err)
	}
}

func TestLossGradients(t *testing.T) {
	for _, c := range lossCases {
		for _, wc := range weightCases[:5] {
			t.Run(c.name+"/"+wc.name, func(t *testing.T) {
				g := tf.NewGraph()
				defer g.AsDefault()()
				p := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
				l := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
				opts := c.opts
				if wc.w != nil {
					opts = append(opts, tf.Weights(wc.w))
				}
				// Labels off the kinks of |p - l| and min(|p - l|, delta).
				lv := [][]float64{{0.05, 0.9}, {0.6, 0.85}, {0.15, 0.45}}
				loss := c.fn(l, p, opts...)
				xs := []*tf.Tensor{p}
				if !strings.HasPrefix(c.name, "Sigmoid") {
					xs = append(xs, l)
				}
				tftest.CheckGradients(t, g, loss, xs, session.Feed{p: pred, l: lv}, 1e-6, 1e-6)
			})
		}
	}
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{3, 3})
	feed := session.Feed{x: [][]float64{{1, 2, 0.5}, {-1, 0.3, 3}, {0.2, 0.25, -2}}}
	tftest.CheckGradients(t, g, losses.SoftmaxCrossEntropy([][]float64{{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}, x, tf.LabelSmoothing(0.1), tf.Weights([]float64{1, 0, 2})), []*tf.Tensor{x}, feed, 1e-6, 1e-6)
	tftest.CheckGradients(t, g, losses.SparseSoftmaxCrossEntropy([]int32{2, 0, 1}, x, tf.Weights([]float64{0.5, 3, 0}), tf.Reduction(losses.Mean)), []*tf.Tensor{x}, feed, 1e-6, 1e-6)
}

func TestLossCollectionsAndNames(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	p := tf.Constant(pred, tf.Float32)
	mse := losses.MeanSquaredError(labels, p)
	if n := mse.Op().Name(); n != "mean_squared_error/value" {
		t.Errorf("MSE op %q, want mean_squared_error/value (TF's)", n)
	}
	abs := losses.AbsoluteDifference(labels, p, tf.Name("abs"), tf.Reduction(losses.Sum))
	losses.HuberLoss(labels, p, tf.LossCollection(""))
	reg := tf.Constant(float32(0.25), tf.Float32)
	if err := losses.AddLoss(reg, tf.LossCollection(losses.GraphKeysRegularizationLosses)); err != nil {
		t.Fatal(err)
	}
	got := losses.GetLosses("")
	if len(got) != 2 || got[0] != mse || got[1] != abs {
		t.Errorf("GetLosses: %v, want the MSE and absolute difference losses", got)
	}
	if s := losses.GetLosses("abs"); len(s) != 1 || s[0] != abs {
		t.Errorf("GetLosses(\"abs\"): %v", s)
	}
	total := losses.GetTotalLoss()
	if total.Err() != nil {
		t.Fatal(total.Err())
	}
	if total.Op().Name() != "total_loss" {
		t.Errorf("total loss op %q, want total_loss", total.Op().Name())
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	out, err := sess.Run([]*tf.Tensor{mse, abs, total}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, a := out[0].Float64s()[0], out[1].Float64s()[0]
	if tot := out[2].Float64s()[0]; math.Abs(tot-(m+a+0.25)) > 1e-6 {
		t.Errorf("total loss %v, want %v", tot, m+a+0.25)
	}
	other := tf.NewGraph()
	restore := other.AsDefault()
	if l := losses.GetLosses(""); len(l) != 0 {
		t.Errorf("a new graph has losses %v", l)
	}
	if err := losses.GetTotalLoss().Err(); err == nil || !strings.Contains(err.Error(), "no losses") {
		t.Errorf("GetTotalLoss of a graph without losses: %v", err)
	}
	restore()
}

func TestLossErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2})
	cases := []struct {
		loss  *tf.Tensor
		parts []string
	}{
		{losses.MeanSquaredError([][]float32{{1, 2, 3}}, p), []string{"losses.MeanSquaredError", "labels of shape [1,3]", "predictions of shape [?,2]", "losses_test.go:"}},
		{losses.LogLoss(labels, p, tf.Reduction("mean")), []string{"losses.LogLoss", `reduction "mean"`, "weighted_mean", "losses_test.go:"}},
		{losses.HuberLoss(labels, p, tf.Weights([][]float64{{1, 2, 3}})), []string{"losses.HuberLoss", "weights of shape [1,3]", "losses_test.go:"}},
		{losses.SigmoidCrossEntropy(labels, p, tf.Axis(1)), []string{"losses.SigmoidCrossEntropy", "axis"}},
		{losses.AbsoluteDifference([]string{"a", "b"}, p), []string{"losses.AbsoluteDifference", "string"}},
	}
	for _, c := range cases {
		if c.loss.Err() == nil {
			t.Errorf("no error, want one containing %q", c.parts)
			continue
		}
		for _, part := range c.parts {
			if !strings.Contains(c.loss.Err().Error(), part) {
				t.Errorf("error %q does not contain %q", c.loss.Err(), part)
			}
		}
	}
}
