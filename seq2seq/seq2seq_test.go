package seq2seq_test

import (
	"math"

	"gorgonia.org/tensor"

	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/seq2seq"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

const (
	units, encSyms, decSyms, embSize = 4, 5, 6, 3
	batch                            = 2
)

var (
	encIDs = [][]int32{{1, 4}, {0, 2}, {3, 3}} // [step][batch]
	decIDs = [][]int32{{0, 0}, {5, 1}, {2, 4}}
)

func idTensors(ids [][]int32) []*tf.Tensor {
	out := make([]*tf.Tensor, len(ids))
	for i, v := range ids {
		out[i] = tf.Constant(v, tf.Int32)
	}
	return out
}

// vars returns the graph's variables by name, read in sess, and their names
// sorted.
func vars(t *testing.T, g *tf.Graph, sess *session.Session) (map[string][]float64, []string) {
	t.Helper()
	out := map[string][]float64{}
	var names []string
	for _, v := range g.Variables() {
		out[v.Name()] = sess.MustRun(v, nil)[0].Float64s()
		names = append(names, v.Name())
	}
	sort.Strings(names)
	return out, names
}

// rnnStep is BasicRNNCell's step in plain loops: tanh([x, h]·k + b).
func rnnStep(x, h, k, b []float64) []float64 {
	in := append(append([]float64{}, x...), h...)
	out := make([]float64, units)
	for j := range out {
		s := b[j]
		for i, v := range in {
			s += v * k[i*units+j]
		}
		out[j] = math.Tanh(s)
	}
	return out
}

func matvec(x, w, b []float64, n int) []float64 {
	out := make([]float64, n)
	for j := range out {
		s := b[j]
		for i, v := range x {
			s += v * w[i*n+j]
		}
		out[j] = s
	}
	return out
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

func TestEmbeddingRNNSeq2Seq(t *testing.T) {
	for mode := 0; mode < 4; mode++ {
		// 0, 1: FeedPrevious(false), (true); 2, 3: FeedPreviousTensor fed
		// false, true.
		feedPrev := mode%2 == 1
		g := tf.NewGraph()
		restore := g.AsDefault()
		tf.SetRandomSeed(3)
		cell := rnncell.NewBasicRNNCell(units)
		opt := seq2seq.FeedPrevious(feedPrev)
		var fp *tf.Tensor
		if mode >= 2 {
			fp = tf.Placeholder(tf.Bool, tf.Shape{})
			opt = seq2seq.FeedPreviousTensor(fp)
		}
		outs, state := seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), idTensors(decIDs), cell, encSyms, decSyms, embSize,
			seq2seq.DType(tf.Float64), opt)
		restore()
		feed := session.Feed{}
		if fp != nil {
			feed[fp] = feedPrev
		}
		if len(outs) != len(decIDs) || len(state) != 1 {
			t.Fatalf("%d outputs, %d states", len(outs), len(state))
		}
		if outs[0].Err() != nil {
			t.Fatal(outs[0].Err())
		}
		sess := session.New(session.WithGraph(g))
		defer sess.Close()
		restore = g.AsDefault()
		sess.MustRun(tf.GlobalVariablesInitializer(), nil)
		restore()
		v, names := vars(t, g, sess)
		want := []string{
			"embedding_rnn_seq2seq/embedding_rnn_decoder/embedding",
			"embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_rnn_cell/bias",
			"embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_rnn_cell/kernel",
			"embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias",
			"embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel",
			"embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_rnn_cell/bias",
			"embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_rnn_cell/kernel",
			"embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding",
		}
		if strings.Join(names, "\n") != strings.Join(want, "\n") {
			t.Fatalf("variables:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
		}
		got := sess.MustRun(append(append([]*tf.Tensor{}, outs...), state...), feed)
		// Plain loops.
		p := "embedding_rnn_seq2seq/"
		encE, encK, encB := v[p+"rnn/embedding_wrapper/embedding"], v[p+"rnn/embedding_wrapper/basic_rnn_cell/kernel"], v[p+"rnn/embedding_wrapper/basic_rnn_cell/bias"]
		d := p + "embedding_rnn_decoder/"
		decE, decK, decB := v[d+"embedding"], v[d+"rnn_decoder/output_projection_wrapper/basic_rnn_cell/kernel"], v[d+"rnn_decoder/output_projection_wrapper/basic_rnn_cell/bias"]
		pW, pB := v[d+"rnn_decoder/output_projection_wrapper/kernel"], v[d+"rnn_decoder/output_projection_wrapper/bias"]
		for b := 0; b < batch; b++ {
			h := make([]float64, units)
			for _, step := range encIDs {
				h = rnnStep(encE[int(step[b])*embSize:(int(step[b])+1)*embSize], h, encK, encB)
			}
			var prev []float64
			for s, step := range decIDs {
				id := int(step[b])
				if feedPrev && s > 0 {
					id = argmax(prev)
				}
				h = rnnStep(decE[id*embSize:(id+1)*embSize], h, decK, decB)
				logits := matvec(h, pW, pB, decSyms)
				prev = logits
				if ok, msg := tftest.AllClose(got[s].Float64s()[b*decSyms:(b+1)*decSyms], logits, 1e-12, 1e-10); !ok {
					t.Errorf("feed_previous %v: output %d of example %d: %s", feedPrev, s, b, msg)
				}
			}
			if ok, msg := tftest.AllClose(got[len(decIDs)].Float64s()[b*units:(b+1)*units], h, 1e-12, 1e-10); !ok {
				t.Errorf("feed_previous %v: final state of example %d: %s", feedPrev, b, msg)
			}
		}
	}
}

// checkVarGradients compares the symbolic gradients of loss with respect
// to every trainable variable with central differences (step 1e-6), each
// variable element moved through Variable.Load.
func checkVarGradients(t *testing.T, g *tf.Graph, loss *tf.Tensor) {
	t.Helper()
	restore := g.AsDefault()
	vs := g.TrainableVariables()
	xs := make([]any, len(vs))
	for i, v := range vs {
		xs[i] = v
	}
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	if err != nil {
		t.Fatal(err)
	}
	init := tf.GlobalVariablesInitializer()
	restore()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	const h = 1e-6
	lossAt := func() float64 { return sess.MustRun(loss, nil)[0].Float64s()[0] }
	for i, v := range vs {
		if grads[i] == nil {
			t.Errorf("no gradient for %s", v.Name())
			continue
		}
		analytic := sess.MustRun(grads[i], nil)[0].Float64s()
		val := sess.MustRun(v, nil)[0].Float64s()
		shape := []int(v.Shape())
		set := func(x []float64) {
			if err := v.Load(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(x)), sess); err != nil {
				t.Fatal(err)
			}
		}
		for j := range val {
			x := append([]float64{}, val...)
			x[j] += h
			set(x)
			up := lossAt()
			x[j] -= 2 * h
			set(x)
			down := lossAt()
			num := (up - down) / (2 * h)
			if math.Abs(num-analytic[j]) > 1e-7*math.Max(1, math.Abs(num)) {
				t.Errorf("d loss / d %s[%d]: symbolic %.10g, numeric %.10g", v.Name(), j, analytic[j], num)
			}
		}
		set(val)
	}
}

func TestSeq2SeqGradients(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(enc, dec []*tf.Tensor, cell rnncell.Cell) []*tf.Tensor
	}{
		{"EmbeddingRNNSeq2Seq", func(enc, dec []*tf.Tensor, cell rnncell.Cell) []*tf.Tensor {
			o, _ := seq2seq.EmbeddingRNNSeq2Seq(enc, dec, cell, encSyms, decSyms, embSize, seq2seq.DType(tf.Float64))
			return o
		}},
		{"EmbeddingAttentionSeq2Seq", func(enc, dec []*tf.Tensor, cell rnncell.Cell) []*tf.Tensor {
			o, _ := seq2seq.EmbeddingAttentionSeq2Seq(enc, dec, cell, encSyms, decSyms, embSize, seq2seq.DType(tf.Float64))
			return o
		}},
		{"EmbeddingAttentionSeq2Seq 2 heads, initial attention", func(enc, dec []*tf.Tensor, cell rnncell.Cell) []*tf.Tensor {
			o, _ := seq2seq.EmbeddingAttentionSeq2Seq(enc, dec, cell, encSyms, decSyms, embSize, seq2seq.DType(tf.Float64),
				seq2seq.NumHeads(2), seq2seq.InitialStateAttention(true))
			return o
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tf.NewGraph()
			restore := g.AsDefault()
			defer restore()
			tf.SetRandomSeed(5)
			outs := tc.build(idTensors(encIDs), idTensors(decIDs), rnncell.NewBasicRNNCell(units))
			w := make([]*tf.Tensor, len(outs))
			for i := range w {
				w[i] = tf.Constant([]float64{1, 0.5}, tf.Float64)
			}
			loss := seq2seq.SequenceLoss(outs, idTensors(decIDs), w)
			if loss.Err() != nil {
				t.Fatal(loss.Err())
			}
			checkVarGradients(t, g, loss)
		})
	}
}

func TestAttentionVariableNames(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	outs, _ := seq2seq.EmbeddingAttentionSeq2Seq(idTensors(encIDs), idTensors(decIDs), rnncell.NewBasicRNNCell(units), encSyms, decSyms, embSize)
	if outs[0].Err() != nil {
		t.Fatal(outs[0].Err())
	}
	if s := outs[0].Shape(); !s.Equal(tf.Shape{batch, decSyms}) {
		t.Errorf("output shape %v", s)
	}
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name())
	}
	sort.Strings(names)
	p := "embedding_attention_seq2seq/"
	d := p + "embedding_attention_decoder/attention_decoder/"
	want := []string{
		d + "Attention_0/bias", d + "Attention_0/kernel", d + "AttnOutputProjection/bias", d + "AttnOutputProjection/kernel",
		d + "AttnV_0", d + "AttnW_0", d + "bias", d + "kernel",
		d + "output_projection_wrapper/basic_rnn_cell/bias", d + "output_projection_wrapper/basic_rnn_cell/kernel",
		d + "output_projection_wrapper/bias", d + "output_projection_wrapper/kernel",
		p + "embedding_attention_decoder/embedding",
		p + "rnn/embedding_wrapper/basic_rnn_cell/bias", p + "rnn/embedding_wrapper/basic_rnn_cell/kernel", p + "rnn/embedding_wrapper/embedding",
	}
	sort.Strings(want)
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("variables:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
}

func TestBasicAndTiedSeq2Seq(t *testing.T) {
	for _, tied := range []bool{false, true} {
		g := tf.NewGraph()
		restore := g.AsDefault()
		enc := []*tf.Tensor{tf.Placeholder(tf.Float64, tf.Shape{batch, 3}), tf.Placeholder(tf.Float64, tf.Shape{batch, 3})}
		dec := []*tf.Tensor{tf.Placeholder(tf.Float64, tf.Shape{batch, 3}), tf.Placeholder(tf.Float64, tf.Shape{batch, 3})}
		cell := rnncell.NewBasicRNNCell(units)
		var outs []*tf.Tensor
		if tied {
			outs, _ = seq2seq.TiedRNNSeq2Seq(enc, dec, cell, seq2seq.DType(tf.Float64))
		} else {
			outs, _ = seq2seq.BasicRNNSeq2Seq(enc, dec, cell, seq2seq.DType(tf.Float64))
		}
		restore()
		if outs[0].Err() != nil {
			t.Fatal(outs[0].Err())
		}
		var names []string
		for _, v := range g.Variables() {
			names = append(names, v.Name())
		}
		sort.Strings(names)
		want := "basic_rnn_seq2seq/rnn/basic_rnn_cell/bias basic_rnn_seq2seq/rnn/basic_rnn_cell/kernel basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/bias basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/kernel"
		if tied {
			want = "combined_tied_rnn_seq2seq/tied_rnn_seq2seq/basic_rnn_cell/bias combined_tied_rnn_seq2seq/tied_rnn_seq2seq/basic_rnn_cell/kernel"
		}
		if strings.Join(names, " ") != want {
			t.Errorf("tied %v: variables %v, want %v", tied, names, want)
		}
		feed := session.Feed{}
		for i, x := range append(append([]*tf.Tensor{}, enc...), dec...) {
			feed[x] = [][]float64{{0.1 * float64(i), -0.3, 0.5}, {0.7, 0.2 * float64(i), -0.4}}
		}
		restore = g.AsDefault()
		y := tf.ReduceSum(tf.Mul(tf.AddN(outs[0], tf.Mul(outs[1], 2.0)), tf.Constant([]float64{1, -1, 0.5, 2}, tf.Float64)))
		restore()
		tftest.CheckGradients(t, g, y, append(append([]*tf.Tensor{}, enc...), dec...), feed, 1e-6, 1e-7)
	}
}

func TestSequenceLoss(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	logits := [][][]float64{{{1, 2, 0.5}, {0, -1, 3}}, {{2, 2, 2}, {1, 0, -1}}}
	targets := [][]int32{{1, 2}, {0, 0}}
	weights := [][]float64{{1, 0.5}, {0, 2}}
	var lt, tt, wt []*tf.Tensor
	for i := range logits {
		lt = append(lt, tf.Constant(logits[i], tf.Float64))
		tt = append(tt, tf.Constant(targets[i], tf.Int32))
		wt = append(wt, tf.Constant(weights[i], tf.Float64))
	}
	xent := func(row []float64, k int) float64 {
		s := 0.0
		for _, v := range row {
			s += math.Exp(v)
		}
		return math.Log(s) - row[k]
	}
	var perEx []float64
	for b := 0; b < 2; b++ {
		num, den := 0.0, 1e-12
		for s := 0; s < 2; s++ {
			num += weights[s][b] * xent(logits[s][b], int(targets[s][b]))
			den += weights[s][b]
		}
		perEx = append(perEx, num/den)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	got := sess.MustRun([]*tf.Tensor{
		seq2seq.SequenceLossByExample(lt, tt, wt),
		seq2seq.SequenceLoss(lt, tt, wt),
		seq2seq.SequenceLoss(lt, tt, wt, seq2seq.AverageAcrossBatch(false), seq2seq.AverageAcrossTimesteps(false)),
	}, nil)
	if ok, msg := tftest.AllClose(got[0].Float64s(), perEx, 1e-12, 1e-12); !ok {
		t.Errorf("by example: %s", msg)
	}
	if ok, msg := tftest.AllClose(got[1].Float64s(), []float64{(perEx[0] + perEx[1]) / 2}, 1e-12, 1e-12); !ok {
		t.Errorf("sequence loss: %s", msg)
	}
	sum := 0.0
	for s := 0; s < 2; s++ {
		for b := 0; b < 2; b++ {
			sum += weights[s][b] * xent(logits[s][b], int(targets[s][b]))
		}
	}
	if ok, msg := tftest.AllClose(got[2].Float64s(), []float64{sum}, 1e-12, 1e-12); !ok {
		t.Errorf("unaveraged: %s", msg)
	}
	if err := seq2seq.SequenceLoss(lt, tt[:1], wt).Err(); err == nil || !strings.Contains(err.Error(), "Lengths of logits, weights, and targets must be the same 2, 2, 1") {
		t.Errorf("length mismatch: %v", err)
	}
}

func TestSeq2SeqErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	cell := rnncell.NewBasicRNNCell(units)
	for _, c := range []struct {
		outs []*tf.Tensor
		want string
	}{
		{first(seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), idTensors(decIDs), nil, 5, 6, 3)), "cell is nil"},
		{first(seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), idTensors(decIDs), cell, 0, 6, 3)), "must be positive"},
		{first(seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), nil, cell, 5, 6, 3)), "decoder_inputs is empty"},
		{first(seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), idTensors(decIDs), cell, 5, 6, 3, seq2seq.NumHeads(2))), "does not take the option num_heads"},
		{first(seq2seq.EmbeddingRNNSeq2Seq(idTensors(encIDs), idTensors(decIDs), cell, 5, 6, 3, seq2seq.OutputProjection(tf.Zeros(tf.Shape{4, 7}, tf.Float32), tf.Zeros(tf.Shape{7}, tf.Float32)))), "output projection weights have shape [4,7]; want [?, 6]"},
	} {
		if err := c.outs[0].Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one saying %q", err, c.want)
		}
	}
	// An id out of range is a Run-time error naming the lookup; the session
	// stays usable.
	g2 := tf.NewGraph()
	defer g2.AsDefault()()
	ids := tf.Placeholder(tf.Int32, tf.Shape{batch})
	outs, _ := seq2seq.EmbeddingRNNSeq2Seq([]*tf.Tensor{ids}, idTensors(decIDs), rnncell.NewBasicRNNCell(units), encSyms, decSyms, embSize)
	sess := session.New(session.WithGraph(g2))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	_, err := sess.Run(outs[0], session.Feed{ids: []int32{1, 9}})
	if err == nil || !strings.Contains(err.Error(), "= 9 is not in [0, 5)") {
		t.Errorf("id 9 of 5: %v", err)
	}
	if _, err := sess.Run(outs[0], session.Feed{ids: []int32{1, 4}}); err != nil {
		t.Errorf("after the error: %v", err)
	}
}

func first(outs, _ []*tf.Tensor) []*tf.Tensor { return outs }
