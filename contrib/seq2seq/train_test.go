package seq2seq_test

import (
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// reverseTask makes n sequences of length L over the symbols 3..vocab-1
// and their reversals: encoder ids, decoder inputs (GO then the target but
// its last symbol) and targets.
func reverseTask(rng *rand.Rand, n, L, vocab int) (enc, decIn, target [][]int32) {
	const goID = 1
	for i := 0; i < n; i++ {
		s := make([]int32, L)
		for j := range s {
			s[j] = int32(3 + rng.Intn(vocab-3))
		}
		r := make([]int32, L)
		for j := range r {
			r[j] = s[L-1-j]
		}
		enc = append(enc, s)
		decIn = append(decIn, append([]int32{goID}, r[:L-1]...))
		target = append(target, r)
	}
	return enc, decIn, target
}

// TestTrainReverseWithAttention trains a tiny encoder-decoder with Luong
// attention (a GRU encoder, an AttentionWrapper'd GRU decoder fed by a
// TrainingHelper) to reverse sequences, then decodes held-out sequences
// greedily with a GreedyEmbeddingHelper on the same cell and layer, and
// wants nearly all of them exact.
func TestTrainReverseWithAttention(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	const (
		vocab, L, units, emb = 10, 6, 32, 12
		batch, nSteps        = 32, 250
	)
	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(1)
	encIDs := tf.Placeholder(tf.Int32, tf.Shape{tf.None, L})
	decIDs := tf.Placeholder(tf.Int32, tf.Shape{tf.None, L})
	targets := tf.Placeholder(tf.Int32, tf.Shape{tf.None, L})
	embedding := tf.GetVariable("embedding", tf.Shape{vocab, emb})
	encOut, encState := nn.DynamicRNN(rnn.NewGRUCell(units), nn.EmbeddingLookup(embedding, encIDs), rnn.DType(tf.Float32), rnn.Scope("encoder"))
	attention := seq2seq.NewLuongAttention(units, encOut, seq2seq.Scale(true))
	cell := seq2seq.NewAttentionWrapper(rnn.NewGRUCell(units), attention, seq2seq.AttentionLayerSize(units))
	projection := layers.NewDense(vocab)
	init := cell.State(cell.ZeroState(rnn.BatchDim{Of: encIDs}, tf.Float32))
	init.CellState = encState
	lengths := tf.Add(tf.ZerosLike(tf.ReduceSum(encIDs, tf.Axis(1))), int32(L))
	helper := seq2seq.NewTrainingHelper(nn.EmbeddingLookup(embedding, decIDs), lengths)
	outputs, _, _ := seq2seq.DynamicDecode(seq2seq.NewBasicDecoder(cell, helper, init.Flat(), seq2seq.OutputLayer(projection)))
	loss := seq2seq.SequenceLoss(outputs.RNNOutput, targets, tf.OnesLike(tf.Cast(targets, tf.Float32)))
	trainOp := train.NewAdamOptimizer(0.01).Minimize(loss)

	start := tf.Add(tf.ZerosLike(tf.ReduceSum(encIDs, tf.Axis(1))), int32(1))
	greedy := seq2seq.NewGreedyEmbeddingHelper(embedding, start, 0)
	inferOut, _, _ := seq2seq.DynamicDecode(seq2seq.NewBasicDecoder(cell, greedy, init.Flat(), seq2seq.OutputLayer(projection)),
		seq2seq.MaximumIterations(L))
	if inferOut.SampleID.Err() != nil {
		t.Fatal(inferOut.SampleID.Err())
	}
	if n := len(g.TrainableVariables()); n != 14 {
		for _, v := range g.TrainableVariables() {
			t.Log(v.Name(), v.Shape())
		}
		t.Errorf("%d trainable variables, want 14 (the greedy decoder shares the training decoder's)", n)
	}

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(func() *tf.Operation { defer g.AsDefault()(); return tf.GlobalVariablesInitializer() }(), nil)
	rng := rand.New(rand.NewSource(2))
	var lossVal float64
	for step := 0; step < nSteps; step++ {
		e, d, y := reverseTask(rng, batch, L, vocab)
		vals, err := sess.Run([]tf.Fetch{loss, trainOp}, session.Feed{encIDs: e, decIDs: d, targets: y})
		if err != nil {
			t.Fatal(err)
		}
		lossVal = vals[0].Float64s()[0]
	}
	e, _, y := reverseTask(rand.New(rand.NewSource(99)), 200, L, vocab)
	ids := sess.MustRun(inferOut.SampleID, session.Feed{encIDs: e})[0].Float64s()
	exact := 0
	for i := range y {
		ok := true
		for j := range y[i] {
			ok = ok && int32(ids[i*L+j]) == y[i][j]
		}
		if ok {
			exact++
		}
	}
	t.Logf("loss after %d steps %.4f; greedy exact match on 200 held-out sequences: %d", nSteps, lossVal, exact)
	if exact < 190 {
		t.Errorf("greedy decoding reversed %d of 200 held-out sequences exactly, want >= 190 (loss %.4f)", exact, lossVal)
	}
}
