package train_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
	"github.com/gorgoflow/gorgoflow/train"
)

// A small RNN classifier, unrolled by hand over 3 steps as the chapter's
// MNIST model (tanh cell, final state -> linear logits -> sparse softmax
// cross entropy -> mean), trained by Adam from fixed weights. The
// reference below is backpropagation through time and Adam written
// directly from TF's formulas.

const (
	nSteps, nIn, nHid, nCls, batch = 3, 2, 3, 4, 2
)

var (
	rnnX = [][][]float64{ // [batch][step][in]
		{{0.5, -1}, {1, 0.2}, {-0.3, 0.8}},
		{{-1, 0.4}, {0.1, 0.9}, {0.7, -0.6}},
	}
	rnnY  = []int32{2, 0}
	rnnWx = []float64{0.3, -0.5, 0.2, 0.6, 0.1, -0.4}                                     // [in][hid]
	rnnWh = []float64{0.2, -0.1, 0.4, 0.5, 0.3, -0.2, -0.6, 0.1, 0.25}                    // [hid][hid]
	rnnB  = []float64{0.05, -0.1, 0.02}                                                   // [hid]
	rnnWo = []float64{0.4, -0.3, 0.2, 0.1, -0.5, 0.6, 0.3, -0.2, 0.15, 0.35, -0.45, 0.05} // [hid][cls]
	rnnBo = []float64{0.01, 0.02, -0.03, 0}                                               // [cls]
)

type rnnParams [5][]float64 // Wx, Wh, b, Wo, bo

// rnnRef returns the mean loss and the gradients of every parameter.
func rnnRef(p rnnParams) (float64, rnnParams) {
	Wx, Wh, b, Wo, bo := p[0], p[1], p[2], p[3], p[4]
	var g rnnParams
	for i := range p {
		g[i] = make([]float64, len(p[i]))
	}
	loss := 0.0
	for n := 0; n < batch; n++ {
		hs := make([][]float64, nSteps+1)
		hs[0] = make([]float64, nHid)
		for t := 0; t < nSteps; t++ {
			h := make([]float64, nHid)
			for j := 0; j < nHid; j++ {
				s := b[j]
				for k := 0; k < nIn; k++ {
					s += rnnX[n][t][k] * Wx[k*nHid+j]
				}
				for k := 0; k < nHid; k++ {
					s += hs[t][k] * Wh[k*nHid+j]
				}
				h[j] = math.Tanh(s)
			}
			hs[t+1] = h
		}
		hT := hs[nSteps]
		z := make([]float64, nCls)
		m := math.Inf(-1)
		for c := 0; c < nCls; c++ {
			z[c] = bo[c]
			for j := 0; j < nHid; j++ {
				z[c] += hT[j] * Wo[j*nCls+c]
			}
			m = math.Max(m, z[c])
		}
		se := 0.0
		for c := range z {
			se += math.Exp(z[c] - m)
		}
		loss += (m + math.Log(se) - z[rnnY[n]]) / batch
		dz := make([]float64, nCls)
		for c := range z {
			dz[c] = math.Exp(z[c]-m) / se / batch
		}
		dz[rnnY[n]] -= 1.0 / batch
		dh := make([]float64, nHid)
		for c := 0; c < nCls; c++ {
			g[4][c] += dz[c]
			for j := 0; j < nHid; j++ {
				g[3][j*nCls+c] += hT[j] * dz[c]
				dh[j] += Wo[j*nCls+c] * dz[c]
			}
		}
		for t := nSteps - 1; t >= 0; t-- {
			ds := make([]float64, nHid)
			for j := range ds {
				ds[j] = dh[j] * (1 - hs[t+1][j]*hs[t+1][j])
				g[2][j] += ds[j]
			}
			prev := make([]float64, nHid)
			for j := 0; j < nHid; j++ {
				for k := 0; k < nIn; k++ {
					g[0][k*nHid+j] += rnnX[n][t][k] * ds[j]
				}
				for k := 0; k < nHid; k++ {
					g[1][k*nHid+j] += hs[t][k] * ds[j]
					prev[k] += Wh[k*nHid+j] * ds[j]
				}
			}
			dh = prev
		}
	}
	return loss, g
}

func TestAdamStepsOnRNNClassifier(t *testing.T) {
	const lr, steps = 0.05, 4
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, nSteps, nIn})
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	Wx := tf.NewVariable(tf.Reshape(tf.Constant(rnnWx, tf.Float64), []int{nIn, nHid}), tf.Name("Wx"))
	Wh := tf.NewVariable(tf.Reshape(tf.Constant(rnnWh, tf.Float64), []int{nHid, nHid}), tf.Name("Wh"))
	b := tf.NewVariable(rnnB, tf.Name("b"))
	Wo := tf.NewVariable(tf.Reshape(tf.Constant(rnnWo, tf.Float64), []int{nHid, nCls}), tf.Name("Wo"))
	bo := tf.NewVariable(rnnBo, tf.Name("bo"))
	var h *tf.Tensor
	for s := 0; s < nSteps; s++ {
		// X[:, s, :] as a product with a fixed selection matrix, so that
		// the test needs no slicing op.
		sel := make([][]float64, nSteps*nIn)
		for i := range sel {
			sel[i] = make([]float64, nIn)
		}
		for k := 0; k < nIn; k++ {
			sel[s*nIn+k][k] = 1
		}
		xs := tf.MatMul(tf.Reshape(X, []int{-1, nSteps * nIn}), tf.Constant(sel, tf.Float64))
		pre := tf.Add(tf.MatMul(xs, Wx), b)
		if h != nil {
			pre = tf.Add(pre, tf.MatMul(h, Wh))
		}
		h = tf.Tanh(pre)
	}
	logits := tf.Add(tf.MatMul(h, Wo), bo)
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	step := train.NewAdamOptimizer(lr).Minimize(loss)
	init := tf.GlobalVariablesInitializer()

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	feed := session.Feed{X: rnnX, y: rnnY}

	p := rnnParams{append([]float64{}, rnnWx...), append([]float64{}, rnnWh...), append([]float64{}, rnnB...), append([]float64{}, rnnWo...), append([]float64{}, rnnBo...)}
	var m, v rnnParams
	for i := range p {
		m[i], v[i] = make([]float64, len(p[i])), make([]float64, len(p[i]))
	}
	vars := []*tf.Variable{Wx, Wh, b, Wo, bo}
	for s := 1; s <= steps; s++ {
		wantLoss, grads := rnnRef(p)
		lrT := lr * math.Sqrt(1-math.Pow(0.999, float64(s))) / (1 - math.Pow(0.9, float64(s)))
		for i := range p {
			for j := range p[i] {
				gr := grads[i][j]
				m[i][j] = 0.9*m[i][j] + 0.1*gr
				v[i][j] = 0.999*v[i][j] + 0.001*gr*gr
				p[i][j] -= lrT * m[i][j] / (math.Sqrt(v[i][j]) + 1e-8)
			}
		}
		out, err := sess.Run([]tf.Fetch{loss, step}, feed)
		if err != nil {
			t.Fatal(err)
		}
		if got := out[0].Float64s()[0]; math.Abs(got-wantLoss) > 1e-12 {
			t.Errorf("step %d: loss %.15g, want %.15g", s, got, wantLoss)
		}
		for i, vr := range vars {
			got := sess.MustEval(vr, nil).Float64s()
			if ok, d := tftest.AllClose(got, p[i], 1e-12, 1e-10); !ok {
				t.Errorf("step %d: %s: %s", s, vr.Name(), d)
			}
		}
	}
}
