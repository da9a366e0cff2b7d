package main

import (
	"math"
	"math/rand"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestSkipGramAdamMatchesReference trains the example's model (embedding
// lookup, NCE loss averaged over the batch, Adam) for 300 steps with the
// sampled classes fed (tf.SampledValues), and compares the embeddings,
// NCE weights and biases with a plain float64 computation of the same
// steps written from TF's formulas: the NCE logits x·w + b - log(expected
// count), the sigmoid cross-entropy's gradient, and TF 1.x's Adam, whose
// _apply_sparse (m and v decayed everywhere, the gradient added to the
// rows used, every row moved) is dense Adam with a zero gradient on the
// rows not used. A sparse Adam that moved only the rows used, or that
// summed repeated rows wrongly, fails it.
func TestSkipGramAdamMatchesReference(t *testing.T) {
	const (
		vocab, dim, batch, sampled = 30, 6, 8, 5
		steps                      = 300
		lr, beta1, beta2, eps      = 0.05, 0.9, 0.999, 1e-8
	)
	r := rand.New(rand.NewSource(3))
	uniform := func(n int, lo, hi float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = lo + (hi-lo)*r.Float64()
		}
		return x
	}
	E0, W0, B0 := uniform(vocab*dim, -1, 1), uniform(vocab*dim, -0.4, 0.4), uniform(vocab, -0.1, 0.1)
	type feed struct {
		inputs, labels []int32
		sampled        []int64
		trueExp        []float64
		sampledExp     []float64
	}
	feeds := make([]feed, steps)
	for s := range feeds {
		f := feed{inputs: make([]int32, batch), labels: make([]int32, batch), trueExp: uniform(batch, 0.05, 2), sampledExp: uniform(sampled, 0.05, 2)}
		for i := range f.inputs {
			// Small ids are frequent: repeated rows in a batch.
			f.inputs[i] = int32(r.Intn(1 + r.Intn(vocab)))
			f.labels[i] = int32(r.Intn(1 + r.Intn(vocab)))
		}
		for _, c := range r.Perm(vocab)[:sampled] {
			f.sampled = append(f.sampled, int64(c))
		}
		feeds[s] = f
	}

	// The example's graph, in float64.
	g := tf.NewGraph()
	defer g.AsDefault()()
	trainInputs := placeholder.New(tf.Int32, tf.Shape{tf.None})
	trainLabels := placeholder.New(tf.Int32, tf.Shape{batch, 1})
	sv := placeholder.New(tf.Int64, tf.Shape{sampled})
	te := placeholder.New(tf.Float64, tf.Shape{batch, 1})
	se := placeholder.New(tf.Float64, tf.Shape{sampled})
	embeddings := tf.NewVariable(tensor.New(tensor.WithShape(vocab, dim), tensor.WithBacking(append([]float64(nil), E0...))))
	nceWeights := tf.NewVariable(tensor.New(tensor.WithShape(vocab, dim), tensor.WithBacking(append([]float64(nil), W0...))))
	nceBiases := tf.NewVariable(tensor.New(tensor.WithShape(vocab), tensor.WithBacking(append([]float64(nil), B0...))))
	embed := nn.EmbeddingLookup(embeddings, trainInputs)
	loss := tf.ReduceMean(nn.NCELoss(nceWeights, nceBiases, trainLabels, embed, sampled, vocab, tf.SampledValues(sv, te, se)))
	trainingOp := train.NewAdamOptimizer(lr).Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run([]tf.Fetch{init}, nil); err != nil {
		t.Fatal(err)
	}

	// The reference.
	E, W, B := append([]float64(nil), E0...), append([]float64(nil), W0...), append([]float64(nil), B0...)
	type adam struct{ m, v []float64 }
	slots := []adam{{make([]float64, len(E)), make([]float64, len(E))}, {make([]float64, len(W)), make([]float64, len(W))}, {make([]float64, len(B)), make([]float64, len(B))}}
	sigmoid := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	dot := func(a, b []float64) float64 {
		s := 0.0
		for k := range a {
			s += a[k] * b[k]
		}
		return s
	}
	row := func(x []float64, i int) []float64 { return x[i*dim : (i+1)*dim] }

	for s, f := range feeds {
		res, err := sess.Run([]tf.Fetch{trainingOp, loss}, session.Feed{
			trainInputs: tensor.New(tensor.WithShape(batch), tensor.WithBacking(f.inputs)),
			trainLabels: tensor.New(tensor.WithShape(batch, 1), tensor.WithBacking(f.labels)),
			sv:          tensor.New(tensor.WithShape(sampled), tensor.WithBacking(f.sampled)),
			te:          tensor.New(tensor.WithShape(batch, 1), tensor.WithBacking(f.trueExp)),
			se:          tensor.New(tensor.WithShape(sampled), tensor.WithBacking(f.sampledExp)),
		})
		if err != nil {
			t.Fatalf("step %d: %v", s, err)
		}
		gE, gW, gB := make([]float64, len(E)), make([]float64, len(W)), make([]float64, len(B))
		lossRef := 0.0
		for i := range batch {
			x, y := int(f.inputs[i]), int(f.labels[i])
			e := row(E, x)
			tl := dot(e, row(W, y)) + B[y] - math.Log(f.trueExp[i])
			lossRef += math.Log1p(math.Exp(-tl))
			dt := (sigmoid(tl) - 1) / batch
			for k := range dim {
				gE[x*dim+k] += dt * W[y*dim+k]
				gW[y*dim+k] += dt * e[k]
			}
			gB[y] += dt
			for j, c64 := range f.sampled {
				c := int(c64)
				z := dot(e, row(W, c)) + B[c] - math.Log(f.sampledExp[j])
				lossRef += math.Log1p(math.Exp(z))
				dz := sigmoid(z) / batch
				for k := range dim {
					gE[x*dim+k] += dz * W[c*dim+k]
					gW[c*dim+k] += dz * e[k]
				}
				gB[c] += dz
			}
		}
		if got, want := res[1].Float64s()[0], lossRef/batch; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("step %d: loss %v, reference %v", s, got, want)
		}
		n := float64(s + 1)
		lrT := lr * math.Sqrt(1-math.Pow(beta2, n)) / (1 - math.Pow(beta1, n))
		for k, p := range []struct{ x, g []float64 }{{E, gE}, {W, gW}, {B, gB}} {
			m, v := slots[k].m, slots[k].v
			for i := range p.x {
				m[i] = beta1*m[i] + (1-beta1)*p.g[i]
				v[i] = beta2*v[i] + (1-beta2)*p.g[i]*p.g[i]
				p.x[i] -= lrT * m[i] / (math.Sqrt(v[i]) + eps)
			}
		}
	}
	got, err := sess.Run([]tf.Fetch{embeddings, nceWeights, nceBiases}, nil)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0.0
	for k, want := range [][]float64{E, W, B} {
		name := []string{"embeddings", "nce_weights", "nce_biases"}[k]
		for i, x := range got[k].Float64s() {
			if math.Abs(x-want[i]) > 1e-8 {
				t.Fatalf("%s[%d] after %d steps: %v, reference %v", name, i, steps, x, want[i])
			}
		}
	}
	for i := range E {
		moved = math.Max(moved, math.Abs(E[i]-E0[i]))
	}
	if moved < 0.1 {
		t.Fatalf("the embeddings moved at most %v in %d steps: the comparison checks nothing", moved, steps)
	}
}
