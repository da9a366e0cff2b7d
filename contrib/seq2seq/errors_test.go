package seq2seq_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// line returns the line of its caller.
func line() int {
	_, _, l, _ := runtime.Caller(1)
	return l
}

// TestErrorsNameTheCall checks that bad arguments give errors naming the
// function, what was wrong and the user's file:line, and no panic.
func TestErrorsNameTheCall(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	memory := tf.Placeholder(tf.Float32, tf.Shape{2, 3, 4})
	inputs := tf.Placeholder(tf.Float32, tf.Shape{2, 5, 3})
	lens := tf.Placeholder(tf.Int32, tf.Shape{2})
	cell := rnncell.NewBasicRNNCell(4)
	type result struct {
		err  error
		line int
	}
	cases := []struct {
		name string
		run  func() result
		want string
	}{
		{"bahdanau units", func() result {
			l := line() + 1
			m := seq2seq.NewBahdanauAttention(0, memory)
			return result{m.Err(), l}
		}, "seq2seq.NewBahdanauAttention at errors_test.go:%d: num_units must be positive, got 0"},
		{"option not taken", func() result {
			l := line() + 1
			d := seq2seq.NewBasicDecoder(cell, seq2seq.NewTrainingHelper(inputs, lens), cell.ZeroState(2, tf.Float32), seq2seq.Normalize(true))
			return result{d.Err(), l}
		}, "seq2seq.NewBasicDecoder at errors_test.go:%d does not take the option normalize"},
		{"helper inputs rank", func() result {
			l := line() + 1
			h := seq2seq.NewTrainingHelper(lens, lens)
			return result{h.Err(), l}
		}, "seq2seq.NewTrainingHelper at errors_test.go:%d: inputs"},
		{"greedy needs maximum iterations", func() result {
			emb := tf.GetVariable("embedding", tf.Shape{5, 3})
			h := seq2seq.NewGreedyEmbeddingHelper(emb, []int32{1, 1}, 0)
			d := seq2seq.NewBasicDecoder(cell, h, cell.ZeroState(2, tf.Float32), seq2seq.OutputLayer(layers.NewDense(5)))
			l := line() + 1
			out, _, _ := seq2seq.DynamicDecode(d)
			return result{out.RNNOutput.Err(), l}
		}, "seq2seq.DynamicDecode at errors_test.go:%d: the number of decoding steps is not known"},
		{"wrapper without cell", func() result {
			l := line() + 1
			w := seq2seq.NewAttentionWrapper(nil, seq2seq.NewBahdanauAttention(3, memory))
			return result{w.Err(), l}
		}, "seq2seq.NewAttentionWrapper at errors_test.go:%d: cell is nil"},
		{"decoder state length", func() result {
			l := line() + 1
			d := seq2seq.NewBasicDecoder(cell, seq2seq.NewTrainingHelper(inputs, lens), nil)
			return result{d.Err(), l}
		}, "seq2seq.NewBasicDecoder at errors_test.go:%d: initial_state has 0 tensors"},
		{"loss ranks", func() result {
			l := line() + 1
			loss := seq2seq.SequenceLoss(memory, lens, memory)
			return result{loss.Err(), l}
		}, "seq2seq.SequenceLoss at errors_test.go:%d: Targets must be a [batch_size x sequence_length] tensor"},
		{"dense units", func() result {
			l := line() + 1
			d := layers.NewDense(0)
			y := d.Apply(lens)
			return result{y.Err(), l}
		}, "layers.NewDense at errors_test.go:%d: units must be positive, got 0"},
	}
	for _, tc := range cases {
		if tc.want == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			r := tc.run()
			want := fmt.Sprintf(tc.want, r.line)
			if r.err == nil || !strings.Contains(r.err.Error(), want) {
				t.Errorf("error %v, want one containing %q", r.err, want)
			}
		})
	}
}
