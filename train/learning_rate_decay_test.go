package train_test

import (
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestLearningRateDecay evaluates each schedule at steps fed through an
// int64 placeholder against TF's formulas (learning_rate_decay.py),
// computed here in float64; float32 schedules to 2e-6, float64 ones to
// 1e-12.
func TestLearningRateDecay(t *testing.T) {
	const lr0, ds = 0.5, 100.0
	steps := []int64{0, 1, 7, 50, 99, 100, 101, 150, 250, 300, 301, 1000}
	cosRestarts := func(s, first, tMul, mMul, alpha float64) float64 {
		start, length, i := 0.0, first, 0.0
		for s >= start+length {
			start += length
			length *= tMul
			i++
		}
		frac := (s - start) / length
		return lr0 * ((1-alpha)*0.5*math.Pow(mMul, i)*(1+math.Cos(math.Pi*frac)) + alpha)
	}
	cases := []struct {
		name string
		make func(lr, step any) *tf.Tensor
		ref  func(s float64) float64
	}{
		{"exponential", func(lr, s any) *tf.Tensor { return train.ExponentialDecay(lr, s, ds, 0.9) },
			func(s float64) float64 { return lr0 * math.Pow(0.9, s/ds) }},
		{"exponential staircase", func(lr, s any) *tf.Tensor { return train.ExponentialDecay(lr, s, ds, 0.9, train.Staircase(true)) },
			func(s float64) float64 { return lr0 * math.Pow(0.9, math.Floor(s/ds)) }},
		{"natural exp", func(lr, s any) *tf.Tensor { return train.NaturalExpDecay(lr, s, ds, 0.3) },
			func(s float64) float64 { return lr0 * math.Exp(-0.3*s/ds) }},
		{"natural exp staircase", func(lr, s any) *tf.Tensor { return train.NaturalExpDecay(lr, s, ds, 0.3, train.Staircase(true)) },
			func(s float64) float64 { return lr0 * math.Exp(-0.3*math.Floor(s/ds)) }},
		{"inverse time", func(lr, s any) *tf.Tensor { return train.InverseTimeDecay(lr, s, ds, 0.5) },
			func(s float64) float64 { return lr0 / (1 + 0.5*s/ds) }},
		{"inverse time staircase", func(lr, s any) *tf.Tensor { return train.InverseTimeDecay(lr, s, ds, 0.5, train.Staircase(true)) },
			func(s float64) float64 { return lr0 / (1 + 0.5*math.Floor(s/ds)) }},
		{"polynomial", func(lr, s any) *tf.Tensor { return train.PolynomialDecay(lr, s, ds) },
			func(s float64) float64 { return (lr0-0.0001)*(1-math.Min(s, ds)/ds) + 0.0001 }},
		{"polynomial power end", func(lr, s any) *tf.Tensor {
			return train.PolynomialDecay(lr, s, ds, train.Power(2), train.EndLearningRate(0.01))
		}, func(s float64) float64 { return (lr0-0.01)*math.Pow(1-math.Min(s, ds)/ds, 2) + 0.01 }},
		{"polynomial cycle", func(lr, s any) *tf.Tensor {
			return train.PolynomialDecay(lr, s, ds, train.Power(0.5), train.Cycle(true))
		}, func(s float64) float64 {
			d := ds
			if s > 0 {
				d = ds * math.Ceil(s/ds)
			}
			return (lr0-0.0001)*math.Pow(1-s/d, 0.5) + 0.0001
		}},
		{"cosine", func(lr, s any) *tf.Tensor { return train.CosineDecay(lr, s, ds) },
			func(s float64) float64 { return lr0 * 0.5 * (1 + math.Cos(math.Pi*math.Min(s, ds)/ds)) }},
		{"cosine alpha", func(lr, s any) *tf.Tensor { return train.CosineDecay(lr, s, ds, train.Alpha(0.2)) },
			func(s float64) float64 { return lr0 * (0.8*0.5*(1+math.Cos(math.Pi*math.Min(s, ds)/ds)) + 0.2) }},
		{"cosine restarts", func(lr, s any) *tf.Tensor { return train.CosineDecayRestarts(lr, s, ds) },
			func(s float64) float64 { return cosRestarts(s, ds, 2, 1, 0) }},
		{"cosine restarts t_mul 1 m_mul alpha", func(lr, s any) *tf.Tensor {
			return train.CosineDecayRestarts(lr, s, ds, train.TMul(1), train.MMul(0.5), train.Alpha(0.1))
		}, func(s float64) float64 { return cosRestarts(s, ds, 1, 0.5, 0.1) }},
		{"cosine restarts t_mul 3", func(lr, s any) *tf.Tensor {
			return train.CosineDecayRestarts(lr, s, 50, train.TMul(3), train.MMul(0.8))
		}, func(s float64) float64 { return cosRestarts(s, 50, 3, 0.8, 0) }},
		{"linear cosine", func(lr, s any) *tf.Tensor { return train.LinearCosineDecay(lr, s, ds) },
			func(s float64) float64 {
				s = math.Min(s, ds)
				return lr0 * (((ds-s)/ds)*0.5*(1+math.Cos(math.Pi*2*0.5*s/ds)) + 0.001)
			}},
		{"linear cosine periods alpha beta", func(lr, s any) *tf.Tensor {
			return train.LinearCosineDecay(lr, s, ds, train.NumPeriods(2), train.Alpha(0.1), train.Beta(0.01))
		}, func(s float64) float64 {
			s = math.Min(s, ds)
			return lr0 * ((0.1+(ds-s)/ds)*0.5*(1+math.Cos(math.Pi*2*2*s/ds)) + 0.01)
		}},
		{"piecewise constant", func(_, s any) *tf.Tensor {
			return train.PiecewiseConstant(s, []float64{100, 250}, []float64{0.5, 0.25, 0.125})
		},
			func(s float64) float64 {
				switch {
				case s <= 100:
					return 0.5
				case s <= 250:
					return 0.25
				}
				return 0.125
			}},
	}
	for _, c := range cases {
		for _, dt := range []tf.DType{tf.Float32, tf.Float64} {
			if c.name == "piecewise constant" && dt == tf.Float64 {
				continue
			}
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				g := tf.NewGraph()
				defer g.AsDefault()()
				step := tf.Placeholder(tf.Int64, tf.Shape{}, tf.Name("step"))
				var lr any = lr0
				if dt == tf.Float64 {
					lr = tf.Constant(lr0, tf.Float64)
				}
				out := c.make(lr, step)
				if out.Err() != nil {
					t.Fatal(out.Err())
				}
				if out.DType() != dt {
					t.Errorf("dtype %s, want %s", out.DType(), dt)
				}
				sess := session.New(session.WithGraph(g))
				defer sess.Close()
				atol, rtol := 1e-12, 1e-12
				if dt == tf.Float32 {
					atol, rtol = 1e-7, 2e-6
				}
				for _, s := range steps {
					got := sess.MustRun(out, session.Feed{step: s})[0].Float64s()[0]
					want := c.ref(float64(s))
					if ok, d := tftest.AllClose([]float64{got}, []float64{want}, atol, rtol); !ok {
						t.Errorf("step %d: %s", s, d)
					}
				}
			})
		}
	}
}

func TestLearningRateDecayErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	step := train.GetOrCreateGlobalStep()
	cases := []struct {
		name string
		out  *tf.Tensor
		want string
	}{
		{"no step", train.ExponentialDecay(0.1, nil, 10, 0.5), "global_step is required for train.ExponentialDecay"},
		{"zero decay steps", train.CosineDecay(0.1, step, 0), "decay_steps must be positive: 0"},
		{"bad option", train.CosineDecay(0.1, step, 10, train.Staircase(true)), "train.CosineDecay does not take the option staircase"},
		{"values and boundaries", train.PiecewiseConstant(step, []float64{1, 2}, []float64{1, 2}), "should be 1 less than the length of values"},
		{"vector learning rate", train.ExponentialDecay(tf.Constant([]float32{1, 2}, tf.Float32), step, 10, 0.5), "learning_rate has shape [2]; it must be a scalar"},
		{"int learning rate", train.ExponentialDecay(tf.Constant(int32(1), tf.Int32), step, 10, 0.5), "learning_rate has dtype int32"},
	}
	for _, c := range cases {
		err := c.out.Err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), "learning_rate_decay_test.go:") {
			t.Errorf("%s: error %v does not name the caller's line", c.name, err)
		}
	}
}

// ExampleExponentialDecay halves Adam's learning rate every 10 steps of
// the global step, which Minimize increments.
func ExampleExponentialDecay() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	w := tf.NewVariable([]float64{5}, tf.Name("w"))
	loss := tf.ReduceSum(tf.Square(tf.Sub(w, tf.Constant([]float64{2}, tf.Float64))))
	globalStep := train.GetOrCreateGlobalStep()
	learningRate := train.ExponentialDecay(0.1, globalStep, 10, 0.5, train.Staircase(true))
	trainingOp := train.NewAdamOptimizer(learningRate).Minimize(loss, train.GlobalStep(globalStep))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for i := 0; i < 30; i++ {
		if i%10 == 0 {
			out := sess.MustRun([]tf.Fetch{globalStep, learningRate}, nil)
			fmt.Printf("step %v: learning rate %.4f\n", out[0].Float64s()[0], out[1].Float64s()[0])
		}
		sess.MustRun(trainingOp, nil)
	}
	fmt.Printf("w after 30 steps: %.3f\n", sess.MustRun(w, nil)[0].Float64s()[0])
	// Output:
	// step 0: learning rate 0.1000
	// step 10: learning rate 0.0500
	// step 20: learning rate 0.0250
	// w after 30 steps: 3.348
}

// TestLearningRateDecayGraphDef exports every schedule (with and without
// its options) and checks the GraphDef against TF's OpDefs and, when node
// is installed, runs it in TensorFlow.js at several steps, comparing with
// gorgoflow's values.
func TestLearningRateDecayGraphDef(t *testing.T) {
	build := func(stepValue int32) *tfjsModel {
		m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
		defer m.g.AsDefault()()
		step := tf.Placeholder(tf.Int32, tf.Shape{}, tf.Name("step"))
		m.feeds[step] = stepValue
		m.fetches = []*tf.Tensor{
			train.ExponentialDecay(0.5, step, 100, 0.9),
			train.ExponentialDecay(0.5, step, 100, 0.9, train.Staircase(true)),
			train.NaturalExpDecay(0.5, step, 100, 0.3, train.Staircase(true)),
			train.InverseTimeDecay(0.5, step, 100, 0.5),
			train.PolynomialDecay(0.5, step, 100, train.Power(2)),
			train.PolynomialDecay(0.5, step, 100, train.Cycle(true), train.Power(0.5)),
			train.CosineDecay(0.5, step, 100, train.Alpha(0.2)),
			train.CosineDecayRestarts(0.5, step, 100),
			train.CosineDecayRestarts(0.5, step, 100, train.TMul(1), train.MMul(0.5)),
			train.LinearCosineDecay(0.5, step, 100, train.NumPeriods(2)),
			train.PiecewiseConstant(step, []float64{100, 250}, []float64{0.5, 0.25, 0.125}),
		}
		if err := m.g.Err(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	defs := tfOpDefs(t)
	m := build(0)
	gd, err := m.g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	problems, types := checkGraphDef(t, defs, gd.Marshal())
	for _, p := range problems {
		t.Error(p)
	}
	for _, op := range []string{"Pow", "Floor", "Cos", "Ceil", "Select", "Log"} {
		if types[op] == 0 {
			t.Errorf("no %s node", op)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the exported schedules are not run with TensorFlow.js")
	}
	for _, s := range []int32{0, 37, 100, 250, 301} {
		t.Run(fmt.Sprint("step ", s), func(t *testing.T) { compareWithTFJS(t, node, build(s)) })
	}
}
