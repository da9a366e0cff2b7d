package seq2seq_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// An attention decoder as TF 1.x's NMT tutorial builds it: a GRU encoder,
// Bahdanau attention over its outputs, a TrainingHelper over the embedded
// decoder inputs, and the sequence loss; then greedy decoding with the
// same cell and output layer.
func Example() {
	tf.ResetDefaultGraph()
	tf.SetRandomSeed(42)
	const vocab, units, steps = 8, 16, 5
	encIDs := tf.Placeholder(tf.Int32, tf.Shape{tf.None, steps})
	decIDs := tf.Placeholder(tf.Int32, tf.Shape{tf.None, steps})
	targets := tf.Placeholder(tf.Int32, tf.Shape{tf.None, steps})
	lengths := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	embedding := tf.GetVariable("embedding", tf.Shape{vocab, 6})

	encoderOutputs, encoderState := nn.DynamicRNN(rnn.NewGRUCell(units), nn.EmbeddingLookup(embedding, encIDs),
		rnn.DType(tf.Float32), rnn.SequenceLength(lengths), rnn.Scope("encoder"))
	attention := seq2seq.NewBahdanauAttention(units, encoderOutputs, seq2seq.MemorySequenceLength(lengths))
	cell := seq2seq.NewAttentionWrapper(rnn.NewGRUCell(units), attention, seq2seq.AttentionLayerSize(units))
	state := cell.State(cell.ZeroState(rnn.BatchDim{Of: encIDs}, tf.Float32))
	state.CellState = encoderState // zero_state(...).clone(cell_state=encoder_state)
	projection := layers.NewDense(vocab)

	helper := seq2seq.NewTrainingHelper(nn.EmbeddingLookup(embedding, decIDs), lengths)
	decoder := seq2seq.NewBasicDecoder(cell, helper, state.Flat(), seq2seq.OutputLayer(projection))
	outputs, _, _ := seq2seq.DynamicDecode(decoder)
	weights := tf.Cast(tf.Greater(targets, tf.ZerosLike(targets)), tf.Float32)
	loss := seq2seq.SequenceLoss(outputs.RNNOutput, targets, weights)

	greedy := seq2seq.NewGreedyEmbeddingHelper(embedding, tf.OnesLike(lengths), 0)
	inference := seq2seq.NewBasicDecoder(cell, greedy, state.Flat(), seq2seq.OutputLayer(projection))
	inferred, _, inferredLengths := seq2seq.DynamicDecode(inference, seq2seq.MaximumIterations(2*steps))

	fmt.Println("rnn_output", outputs.RNNOutput.Shape(), "sample_id", outputs.SampleID.Shape())
	fmt.Println("greedy sample_id", inferred.SampleID.Shape(), "lengths", inferredLengths.Shape())
	for _, v := range tf.TrainableVariables() {
		fmt.Println(v.Name(), v.Shape())
	}

	sess := session.New()
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	feed := session.Feed{
		encIDs: [][]int32{{3, 4, 5, 0, 0}, {6, 7, 2, 3, 0}}, lengths: []int32{3, 4},
		decIDs: [][]int32{{1, 5, 4, 3, 0}, {1, 3, 2, 7, 6}}, targets: [][]int32{{5, 4, 3, 0, 0}, {3, 2, 7, 6, 0}},
	}
	l := sess.MustEval(loss, feed).Float64s()[0]
	fmt.Printf("loss %.1f (about ln %d)\n", l, vocab)
	// Output:
	// rnn_output [?,5,8] sample_id [?,5]
	// greedy sample_id [?,10] lengths [?]
	// embedding [8,6]
	// encoder/gru_cell/gates/kernel [22,32]
	// encoder/gru_cell/gates/bias [32]
	// encoder/gru_cell/candidate/kernel [22,16]
	// encoder/gru_cell/candidate/bias [16]
	// memory_layer/kernel [16,16]
	// decoder/attention_wrapper/gru_cell/gates/kernel [38,32]
	// decoder/attention_wrapper/gru_cell/gates/bias [32]
	// decoder/attention_wrapper/gru_cell/candidate/kernel [38,16]
	// decoder/attention_wrapper/gru_cell/candidate/bias [16]
	// decoder/attention_wrapper/bahdanau_attention/query_layer/kernel [16,16]
	// decoder/attention_wrapper/bahdanau_attention/attention_v [16]
	// decoder/attention_wrapper/attention_layer/kernel [32,16]
	// decoder/dense/kernel [16,8]
	// decoder/dense/bias [8]
	// loss 2.1 (about ln 8)
}
