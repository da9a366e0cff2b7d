package seq2seq_test

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/seq2seq"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestGreedyDecodingConcurrentBatchSizes is the translation notebook's
// model in small (EmbeddingRNNSeq2Seq on a GRU, greedy decoding chosen by
// a FeedPreviousTensor placeholder), trained and decoded many times, with
// many batch sizes, from several goroutines at once, in a session keeping
// only two programs (so that programs are dropped and compiled again
// while others run). Every decoding must equal the same decoding run
// alone beforehand, and no run may fail. It guards against a flake once
// seen in the notebook ("input Mul_...:0 ... not computed").
func TestGreedyDecodingConcurrentBatchSizes(t *testing.T) {
	const (
		encSteps, decSteps = 6, 5
		srcSyms, tgtSyms   = 12, 9
		units, embSize     = 8, 4
	)
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.SetRandomSeed(5)
	X := tf.Placeholder(tf.Int32, tf.Shape{tf.None, encSteps})
	Y := tf.Placeholder(tf.Int32, tf.Shape{tf.None, decSteps + 1})
	feedPrevious := tf.PlaceholderWithDefault(false, tf.Shape{})
	enc := tf.Unstack(tf.Transpose(X, nil), 0)
	dec := tf.Unstack(tf.Transpose(tf.Index(Y, ":, :-1"), nil), 0)
	outs, _ := seq2seq.EmbeddingRNNSeq2Seq(enc, dec, rnncell.NewGRUCell(units), srcSyms, tgtSyms, embSize,
		seq2seq.FeedPreviousTensor(feedPrevious))
	logits := tf.Reshape(tf.Transpose(tf.Stack(outs, 0), []int{1, 0, 2}), []int{-1, tgtSyms})
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(tf.Reshape(tf.Index(Y, ":, 1:"), []int{-1}), logits))
	step := train.NewAdamOptimizer(0.01).Minimize(loss)
	preds := make([]tf.Fetch, len(outs))
	for i, o := range outs {
		preds[i] = tf.ArgMax(o, 1)
	}
	init := tf.GlobalVariablesInitializer()
	restore()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g), session.MaxCachedPrograms(2))
	defer sess.Close()
	sess.MustRun(init, nil)

	r := rand.New(rand.NewSource(1))
	batch := func(n int) ([][]int32, [][]int32) {
		x, y := make([][]int32, n), make([][]int32, n)
		for i := range x {
			x[i], y[i] = make([]int32, encSteps), make([]int32, decSteps+1)
			for j := range x[i] {
				x[i][j] = int32(r.Intn(srcSyms))
			}
			for j := range y[i] {
				y[i][j] = int32(r.Intn(tgtSyms))
			}
		}
		return x, y
	}
	for i := 0; i < 20; i++ { // train a little, so that decodings differ by input
		x, y := batch(16)
		sess.MustRun(step, session.Feed{X: x, Y: y})
	}
	decode := func(x, y [][]int32) (string, error) {
		v, err := sess.Run(preds, session.Feed{X: x, Y: y, feedPrevious: true})
		if err != nil {
			return "", err
		}
		s := ""
		for _, a := range v {
			s += fmt.Sprint(a.Float64s())
		}
		return s, nil
	}
	type job struct {
		x, y [][]int32
		want string
	}
	var jobs []job
	for n := 1; n <= 12; n++ {
		x, y := batch(n)
		want, err := decode(x, y)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{x, y, want})
	}
	xt, yt := batch(8)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				j := jobs[(w*7+i*5)%len(jobs)]
				if w == 0 && i%10 == 0 {
					// The training program and the teacher-forced one too
					// (feedPrevious left false): the decodings are taken
					// from weights that no longer change only if no step
					// runs, so run the loss, not the step.
					if _, err := sess.Run(loss, session.Feed{X: xt, Y: yt}); err != nil {
						errs <- err
						return
					}
				}
				got, err := decode(j.x, j.y)
				if err != nil {
					errs <- fmt.Errorf("worker %d, run %d, batch %d: %v", w, i, len(j.x), err)
					return
				}
				if got != j.want {
					errs <- fmt.Errorf("worker %d, run %d, batch %d: decoded %s, alone %s", w, i, len(j.x), got, j.want)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
