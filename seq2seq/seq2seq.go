package seq2seq

import (
	"fmt"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// fail returns n error tensors and n state tensors carrying err.
func fail(err error, n, nState int) ([]*tf.Tensor, []*tf.Tensor) {
	t := tfimpl.ErrTensor(err)
	outs := make([]*tf.Tensor, max(n, 1))
	for i := range outs {
		outs[i] = t
	}
	st := make([]*tf.Tensor, max(nState, 1))
	for i := range st {
		st[i] = t
	}
	return outs, st
}

func stateLen(cell rnncell.Cell) int {
	if cell == nil {
		return 1
	}
	return len(cell.StateSize())
}

// checkList checks a list of step tensors.
func checkList(fn, what string, ts []*tf.Tensor) error {
	if len(ts) == 0 {
		return errors.Errorf("%s: %s is empty", fn, what)
	}
	for i, t := range ts {
		if t == nil {
			return errors.Errorf("%s: %s[%d] is a nil *tf.Tensor", fn, what, i)
		}
		if t.Err() != nil {
			return t.Err()
		}
	}
	return nil
}

// RNNDecoder runs cell over decoderInputs starting from initialState
// (tf.contrib.legacy_seq2seq.rnn_decoder), in the variable scope
// "rnn_decoder" (Scope). With WithLoopFunction, step i > 0 takes
// loop(previous output, i) as its input instead of decoderInputs[i]. It
// returns one output per step and the final state.
//
// Options: WithLoopFunction, Scope.
func RNNDecoder(decoderInputs []*tf.Tensor, initialState []*tf.Tensor, cell rnncell.Cell, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.RNNDecoder at " + tfimpl.CallerSite()
	o, err := parse(fn, opts, "loop_function", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), stateLen(cell))
	}
	return rnnDecoder(fn, decoderInputs, initialState, cell, o.loop, scopeOr(o.scope, "rnn_decoder"))
}

func scopeOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func rnnDecoder(fn string, decoderInputs, initialState []*tf.Tensor, cell rnncell.Cell, loop LoopFunction, scope string) ([]*tf.Tensor, []*tf.Tensor) {
	n := stateLen(cell)
	if cell == nil {
		return fail(errors.Errorf("%s: cell is nil", fn), len(decoderInputs), n)
	}
	if err := checkList(fn, "decoder_inputs", decoderInputs); err != nil {
		return fail(err, len(decoderInputs), n)
	}
	if err := checkList(fn, "initial_state", initialState); err != nil {
		return fail(err, len(decoderInputs), n)
	}
	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	defer func() { closeScope() }()
	state := initialState
	var outputs []*tf.Tensor
	var prev *tf.Tensor
	for i, inp := range decoderInputs {
		if loop != nil && prev != nil {
			inp = loop(prev, i)
		}
		if i > 0 {
			closeScope()
			closeScope = tf.VariableScope(scope, tf.Reuse)
		}
		out, ns := cell.Call(inp, state)
		if out == nil || out.Err() != nil {
			if out == nil {
				out = tfimpl.ErrTensor(errors.Errorf("%s: the cell returned a nil output at step %d", fn, i))
			}
			return fail(out.Err(), len(decoderInputs), n)
		}
		outputs = append(outputs, out)
		state = ns
		if loop != nil {
			prev = out
		}
	}
	return outputs, state
}

// BasicRNNSeq2Seq encodes encoderInputs with a copy of cell (rnncell.Copy)
// and decodes decoderInputs with cell from the encoder's final state
// (tf.contrib.legacy_seq2seq.basic_rnn_seq2seq): inputs are [batch, depth]
// per step. The encoder's variables are under "<scope>/rnn", the decoder's
// under "<scope>/rnn_decoder"; scope defaults to "basic_rnn_seq2seq".
//
// Options: DType (default float32), Scope.
func BasicRNNSeq2Seq(encoderInputs, decoderInputs []*tf.Tensor, cell rnncell.Cell, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.BasicRNNSeq2Seq at " + tfimpl.CallerSite()
	n := stateLen(cell)
	o, err := parse(fn, opts, "dtype", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	if cell == nil {
		return fail(errors.Errorf("%s: cell is nil", fn), len(decoderInputs), n)
	}
	defer tf.VariableScope(scopeOr(o.scope, "basic_rnn_seq2seq"), tf.ReuseInherit)()
	encCell, err := rnncell.Copy(cell)
	if err != nil {
		return fail(errors.Wrap(err, fn), len(decoderInputs), n)
	}
	_, encState := nn.StaticRNN(encCell, encoderInputs, rnncell.DType(o.dtype))
	return rnnDecoder(fn, decoderInputs, encState, cell, nil, "rnn_decoder")
}

// TiedRNNSeq2Seq is BasicRNNSeq2Seq with one set of weights for the encoder
// and the decoder (tf.contrib.legacy_seq2seq.tied_rnn_seq2seq): both run
// cell itself, under "combined_tied_rnn_seq2seq/<scope>" (scope default
// "tied_rnn_seq2seq").
//
// Options: DType, Scope, WithLoopFunction.
func TiedRNNSeq2Seq(encoderInputs, decoderInputs []*tf.Tensor, cell rnncell.Cell, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.TiedRNNSeq2Seq at " + tfimpl.CallerSite()
	n := stateLen(cell)
	o, err := parse(fn, opts, "dtype", "scope", "loop_function")
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	if cell == nil {
		return fail(errors.Errorf("%s: cell is nil", fn), len(decoderInputs), n)
	}
	defer tf.VariableScope("combined_tied_rnn_seq2seq", tf.ReuseInherit)()
	scope := scopeOr(o.scope, "tied_rnn_seq2seq")
	_, encState := nn.StaticRNN(cell, encoderInputs, rnncell.DType(o.dtype), rnncell.Scope(scope))
	return rnnDecoder(fn, decoderInputs, encState, cell, o.loop, scope)
}

// extractArgmaxAndEmbed is TF's _extract_argmax_and_embed: the loop
// function feeding back the embedding of the previous output's argmax.
func extractArgmaxAndEmbed(embedding *tf.Variable, projW, projB *tf.Tensor) LoopFunction {
	return func(prev *tf.Tensor, _ int) *tf.Tensor {
		if projW != nil {
			prev = tf.Add(tf.MatMul(prev, projW), projB)
		}
		return nn.EmbeddingLookup(embedding, tf.ArgMax(prev, 1))
	}
}

// embeddingDecoderSetup makes the decoder's embedding, embeds the decoder
// inputs and makes the loop function.
func embeddingDecoderSetup(fn string, numSymbols, embeddingSize int, o *options, decoderInputs []*tf.Tensor) ([]*tf.Tensor, LoopFunction, error) {
	if o.projW != nil {
		if err := checkProjection(fn, o, numSymbols); err != nil {
			return nil, nil, err
		}
	}
	emb := tf.GetVariable("embedding", tf.Shape{numSymbols, embeddingSize}, tf.WithDType(o.dtype))
	if emb.Err() != nil {
		return nil, nil, emb.Err()
	}
	embedded := embedAll(emb, decoderInputs)
	givenInput := func(i int) *tf.Tensor { return embedded[i] }
	var loop LoopFunction
	switch {
	case o.feedPrevTensor != nil:
		fp := o.feedPrevTensor
		if fp.Err() != nil {
			return nil, nil, fp.Err()
		}
		if fp.DType() != tf.Bool || (fp.Shape() != nil && len(fp.Shape()) != 0) {
			return nil, nil, errors.Errorf("%s: feed_previous %q is %s; want a bool scalar", fn, fp.Name(), fp.Spec())
		}
		greedy := extractArgmaxAndEmbed(emb, o.projW, o.projB)
		f := tf.Cast(fp, o.dtype)
		loop = func(prev *tf.Tensor, i int) *tf.Tensor {
			// TF builds both decoders under a cond; here each step selects
			// its input: f*greedy + (1-f)*given.
			return tf.Add(tf.Mul(f, greedy(prev, i)), tf.Mul(tf.Sub(1.0, f), givenInput(i)))
		}
	case o.feedPrevious:
		loop = extractArgmaxAndEmbed(emb, o.projW, o.projB)
	}
	return embedded, loop, nil
}

func checkProjection(fn string, o *options, numSymbols int) error {
	for _, t := range []*tf.Tensor{o.projW, o.projB} {
		if t.Err() != nil {
			return t.Err()
		}
	}
	if s := o.projW.Shape(); s != nil && (len(s) != 2 || s[1] >= 0 && s[1] != numSymbols) {
		return errors.Errorf("%s: output projection weights have shape %v; want [?, %d]", fn, s, numSymbols)
	}
	if s := o.projB.Shape(); s != nil && (len(s) != 1 || s[0] >= 0 && s[0] != numSymbols) {
		return errors.Errorf("%s: output projection biases have shape %v; want [%d]", fn, s, numSymbols)
	}
	return nil
}

func embedAll(emb *tf.Variable, ids []*tf.Tensor) []*tf.Tensor {
	out := make([]*tf.Tensor, len(ids))
	for i, id := range ids {
		out[i] = nn.EmbeddingLookup(emb, id)
	}
	return out
}

// EmbeddingRNNDecoder embeds decoderInputs (integer ids [batch] per step)
// in a new "embedding" [numSymbols, embeddingSize] and runs RNNDecoder on
// them (tf.contrib.legacy_seq2seq.embedding_rnn_decoder), under the scope
// "embedding_rnn_decoder".
//
// Options: OutputProjection, FeedPrevious or FeedPreviousTensor, DType,
// Scope.
func EmbeddingRNNDecoder(decoderInputs, initialState []*tf.Tensor, cell rnncell.Cell, numSymbols, embeddingSize int, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.EmbeddingRNNDecoder at " + tfimpl.CallerSite()
	n := stateLen(cell)
	o, err := parse(fn, opts, "output_projection", "feed_previous", "dtype", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	return embeddingRNNDecoder(fn, decoderInputs, initialState, cell, numSymbols, embeddingSize, o)
}

func embeddingRNNDecoder(fn string, decoderInputs, initialState []*tf.Tensor, cell rnncell.Cell, numSymbols, embeddingSize int, o *options) ([]*tf.Tensor, []*tf.Tensor) {
	n := stateLen(cell)
	if err := checkList(fn, "decoder_inputs", decoderInputs); err != nil {
		return fail(err, len(decoderInputs), n)
	}
	defer tf.VariableScope(scopeOr(o.scope, "embedding_rnn_decoder"), tf.ReuseInherit)()
	embedded, loop, err := embeddingDecoderSetup(fn, numSymbols, embeddingSize, o, decoderInputs)
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	return rnnDecoder(fn, embedded, initialState, cell, loop, "rnn_decoder")
}

// checkSymbols checks the vocabulary and embedding sizes.
func checkSymbols(fn string, sizes ...int) error {
	for _, s := range sizes {
		if s <= 0 {
			return errors.Errorf("%s: symbol counts and the embedding size must be positive, got %v", fn, sizes)
		}
	}
	return nil
}

// embeddingEncoder checks a model's arguments and runs the encoder: a copy
// of cell (TF's copy.deepcopy) in an EmbeddingWrapper, over the encoder
// inputs, in the current variable scope ("rnn").
func embeddingEncoder(fn string, encoderInputs []*tf.Tensor, cell rnncell.Cell, numEnc, numDec, embeddingSize int, o *options) (outputs, state []*tf.Tensor, err error) {
	if cell == nil {
		return nil, nil, errors.Errorf("%s: cell is nil", fn)
	}
	if err := checkSymbols(fn, numEnc, numDec, embeddingSize); err != nil {
		return nil, nil, err
	}
	encCell, err := rnncell.Copy(cell)
	if err != nil {
		return nil, nil, errors.Wrap(err, fn)
	}
	enc := rnncell.NewEmbeddingWrapper(encCell, numEnc, embeddingSize)
	outputs, state = nn.StaticRNN(enc, encoderInputs, rnncell.DType(o.dtype))
	if state[0].Err() != nil {
		return nil, nil, state[0].Err()
	}
	return outputs, state, nil
}

// EmbeddingRNNSeq2Seq is the encoder-decoder of TF's translation tutorial
// (tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq): encoderInputs and
// decoderInputs are integer ids [batch] per step. A copy of cell
// (rnncell.Copy) wrapped in an rnncell.EmbeddingWrapper encodes; cell,
// wrapped in an rnncell.OutputProjectionWrapper to numDecoderSymbols unless
// OutputProjection is given, decodes from the encoder's final state with
// its own embedding (EmbeddingRNNDecoder). It returns the decoder's outputs
// (logits [batch, numDecoderSymbols] per step, or the cell's outputs with
// OutputProjection) and its final state.
//
// The variables are TF's: under "embedding_rnn_seq2seq" (Scope),
// "rnn/embedding_wrapper/embedding" and the encoder cell's
// ("rnn/embedding_wrapper/basic_lstm_cell/kernel", ...), and
// "embedding_rnn_decoder/embedding" and the decoder cell's
// ("embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/...").
//
// Options: OutputProjection, FeedPrevious (greedy decoding) or
// FeedPreviousTensor, DType (default float32), Scope.
func EmbeddingRNNSeq2Seq(encoderInputs, decoderInputs []*tf.Tensor, cell rnncell.Cell, numEncoderSymbols, numDecoderSymbols, embeddingSize int, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.EmbeddingRNNSeq2Seq at " + tfimpl.CallerSite()
	n := stateLen(cell)
	o, err := parse(fn, opts, "output_projection", "feed_previous", "dtype", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	defer tf.VariableScope(scopeOr(o.scope, "embedding_rnn_seq2seq"), tf.ReuseInherit)()
	_, encState, err := embeddingEncoder(fn, encoderInputs, cell, numEncoderSymbols, numDecoderSymbols, embeddingSize, o)
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	if o.projW == nil {
		cell = rnncell.NewOutputProjectionWrapper(cell, numDecoderSymbols)
	}
	o.scope = ""
	return embeddingRNNDecoder(fn, decoderInputs, encState, cell, numDecoderSymbols, embeddingSize, o)
}

// linear is TF 1.x's rnn_cell_impl._Linear: concat(args, 1)·kernel + bias,
// its variables "kernel" and "bias" (zeros) in the current variable scope,
// made at the first call and reused after.
type linear struct {
	outputSize   int
	kernel, bias *tf.Variable
}

func (l *linear) apply(args []*tf.Tensor, dtype tf.DType) (*tf.Tensor, error) {
	x := args[0]
	if len(args) > 1 {
		x = tf.Concat(args, 1)
	}
	if x.Err() != nil {
		return nil, x.Err()
	}
	if l.kernel == nil {
		s := x.Shape()
		if s == nil || len(s) != 2 || s[1] < 0 {
			return nil, errors.Errorf("linear: arguments have shape %v; want [batch, known size]", s)
		}
		k := tf.GetVariable("kernel", tf.Shape{s[1], l.outputSize}, tf.WithDType(dtype))
		if k.Err() != nil {
			return nil, k.Err()
		}
		b := tf.GetVariable("bias", tf.Shape{l.outputSize}, tf.WithDType(dtype), tf.WithInitializer(tf.ZerosInitializer()))
		if b.Err() != nil {
			return nil, b.Err()
		}
		l.kernel, l.bias = k, b
	}
	return tf.Add(tf.MatMul(x, l.kernel), l.bias), nil
}

// AttentionDecoder is RNNDecoder with attention over attentionStates
// [batch, attn_length, attn_size] (tf.contrib.legacy_seq2seq.attention_decoder,
// Bahdanau-style): each step's input is linear([input, attentions]), the
// cell runs on it, the attention reads are computed from the new state,
// and the step's output is linear([cell output, attentions]) of outputSize
// (0: the cell's output size). Variables, under "attention_decoder"
// (Scope): "AttnW_<h>" [1, 1, attn_size, attn_size], "AttnV_<h>"
// [attn_size], "kernel"/"bias" of the input projection,
// "Attention_<h>/kernel"/"bias", "AttnOutputProjection/kernel"/"bias".
//
// Options: NumHeads (1), WithLoopFunction, InitialStateAttention, DType,
// Scope.
func AttentionDecoder(decoderInputs, initialState []*tf.Tensor, attentionStates *tf.Tensor, cell rnncell.Cell, outputSize int, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.AttentionDecoder at " + tfimpl.CallerSite()
	o, err := parse(fn, opts, "num_heads", "loop_function", "initial_state_attention", "dtype", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), stateLen(cell))
	}
	return attentionDecoder(fn, decoderInputs, initialState, attentionStates, cell, outputSize, o.loop, o)
}

func attentionDecoder(fn string, decoderInputs, initialState []*tf.Tensor, attentionStates *tf.Tensor, cell rnncell.Cell, outputSize int, loop LoopFunction, o *options) ([]*tf.Tensor, []*tf.Tensor) {
	nIn, n := len(decoderInputs), stateLen(cell)
	bad := func(err error) ([]*tf.Tensor, []*tf.Tensor) { return fail(errors.Wrap(err, fn), nIn, n) }
	if cell == nil {
		return bad(errors.New("cell is nil"))
	}
	if err := checkList(fn, "decoder_inputs", decoderInputs); err != nil {
		return fail(err, nIn, n)
	}
	if err := checkList(fn, "initial_state", initialState); err != nil {
		return fail(err, nIn, n)
	}
	if o.numHeads < 1 {
		return bad(errors.Errorf("With less than 1 heads, use a non-attention decoder (num_heads %d)", o.numHeads))
	}
	if attentionStates == nil || attentionStates.Err() != nil {
		if attentionStates == nil {
			return bad(errors.New("attention_states is nil"))
		}
		return fail(attentionStates.Err(), nIn, n)
	}
	as := attentionStates.Shape()
	if as == nil || len(as) != 3 || as[1] < 0 || as[2] < 0 {
		return bad(errors.Errorf("Shape[1] and [2] of attention_states must be known: %v", as))
	}
	if outputSize <= 0 {
		outputSize = cell.OutputSize()
	}
	dt := o.dtype
	closeScope := tf.VariableScope(scopeOr(o.scope, "attention_decoder"), tf.ReuseInherit)
	defer func() { closeScope() }()
	attnLength, attnSize := as[1], as[2]
	hidden := tf.Reshape(attentionStates, []int{-1, attnLength, 1, attnSize})
	hidden2 := tf.Reshape(attentionStates, []int{-1, attnSize})
	var hiddenFeatures []*tf.Tensor
	var vs []*tf.Variable
	for a := 0; a < o.numHeads; a++ {
		k := tf.GetVariable(fmt.Sprintf("AttnW_%d", a), tf.Shape{1, 1, attnSize, attnSize}, tf.WithDType(dt))
		v := tf.GetVariable(fmt.Sprintf("AttnV_%d", a), tf.Shape{attnSize}, tf.WithDType(dt))
		if k.Err() != nil {
			return bad(k.Err())
		}
		if v.Err() != nil {
			return bad(v.Err())
		}
		// conv2d of a 1x1 kernel: a product over the last axis.
		f := tf.MatMul(hidden2, tf.Reshape(k, []int{attnSize, attnSize}))
		hiddenFeatures = append(hiddenFeatures, tf.Reshape(f, []int{-1, attnLength, 1, attnSize}))
		vs = append(vs, v)
	}
	attnLinear := make([]*linear, o.numHeads)
	for a := range attnLinear {
		attnLinear[a] = &linear{outputSize: attnSize}
	}
	attention := func(query []*tf.Tensor) ([]*tf.Tensor, error) {
		q := query[0]
		if len(query) > 1 {
			q = tf.Concat(query, 1)
		}
		var ds []*tf.Tensor
		for a := 0; a < o.numHeads; a++ {
			closeA := tf.VariableScope(fmt.Sprintf("Attention_%d", a), tf.ReuseInherit)
			y, err := attnLinear[a].apply([]*tf.Tensor{q}, dt)
			closeA()
			if err != nil {
				return nil, err
			}
			y = tf.Reshape(y, []int{-1, 1, 1, attnSize})
			s := tf.ReduceSum(tf.Mul(vs[a], tf.Tanh(tf.Add(hiddenFeatures[a], y))), tf.Axis(2, 3))
			w := nn.Softmax(s)
			d := tf.ReduceSum(tf.Mul(tf.Reshape(w, []int{-1, attnLength, 1, 1}), hidden), tf.Axis(1, 2))
			ds = append(ds, tf.Reshape(d, []int{-1, attnSize}))
		}
		return ds, nil
	}
	state := initialState
	attns := make([]*tf.Tensor, o.numHeads)
	for a := range attns {
		attns[a] = rnncell.Zeros(decoderInputs[0], attnSize, dt)
	}
	if o.initialAttention {
		var err error
		if attns, err = attention(state); err != nil {
			return bad(err)
		}
	}
	inProj := &linear{}
	outProj := &linear{outputSize: outputSize}
	var outputs []*tf.Tensor
	var prev *tf.Tensor
	for i, inp := range decoderInputs {
		if i > 0 {
			closeScope()
			closeScope = tf.VariableScope(scopeOr(o.scope, "attention_decoder"), tf.Reuse)
		}
		if loop != nil && prev != nil {
			inp = loop(prev, i)
		}
		s := inp.Shape()
		if s == nil || len(s) != 2 || s[1] < 0 {
			return bad(errors.Errorf("Could not infer input size from input: %v", s))
		}
		inProj.outputSize = s[1]
		x, err := inProj.apply(append([]*tf.Tensor{inp}, attns...), dt)
		if err != nil {
			return bad(err)
		}
		out, ns := cell.Call(x, state)
		if out == nil || out.Err() != nil {
			if out == nil {
				return bad(errors.Errorf("the cell returned a nil output at step %d", i))
			}
			return fail(out.Err(), nIn, n)
		}
		state = ns
		if attns, err = attention(state); err != nil {
			return bad(err)
		}
		closeP := tf.VariableScope("AttnOutputProjection", tf.ReuseInherit)
		output, err := outProj.apply(append([]*tf.Tensor{out}, attns...), dt)
		closeP()
		if err != nil {
			return bad(err)
		}
		if loop != nil {
			prev = output
		}
		outputs = append(outputs, output)
	}
	return outputs, state
}

// EmbeddingAttentionSeq2Seq is EmbeddingRNNSeq2Seq with an attention
// decoder (tf.contrib.legacy_seq2seq.embedding_attention_seq2seq): the
// encoder's outputs at every step are the attention states, and the decoder
// (scope "embedding_attention_decoder", with its "embedding") is
// AttentionDecoder over the embedded decoder inputs, its outputs of
// numDecoderSymbols (through an OutputProjectionWrapper around cell) unless
// OutputProjection is given. Scope defaults to
// "embedding_attention_seq2seq".
//
// Options: NumHeads, OutputProjection, FeedPrevious or FeedPreviousTensor,
// InitialStateAttention, DType, Scope.
func EmbeddingAttentionSeq2Seq(encoderInputs, decoderInputs []*tf.Tensor, cell rnncell.Cell, numEncoderSymbols, numDecoderSymbols, embeddingSize int, opts ...Option) (outputs, state []*tf.Tensor) {
	fn := "seq2seq.EmbeddingAttentionSeq2Seq at " + tfimpl.CallerSite()
	n := stateLen(cell)
	o, err := parse(fn, opts, "num_heads", "output_projection", "feed_previous", "initial_state_attention", "dtype", "scope")
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	defer tf.VariableScope(scopeOr(o.scope, "embedding_attention_seq2seq"), tf.ReuseInherit)()
	encOutputs, encState, err := embeddingEncoder(fn, encoderInputs, cell, numEncoderSymbols, numDecoderSymbols, embeddingSize, o)
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	top := make([]*tf.Tensor, len(encOutputs))
	for i, e := range encOutputs {
		top[i] = tf.Reshape(e, []int{-1, 1, cell.OutputSize()})
	}
	attentionStates := tf.Concat(top, 1)
	outputSize := 0
	if o.projW == nil {
		cell = rnncell.NewOutputProjectionWrapper(cell, numDecoderSymbols)
		outputSize = numDecoderSymbols
	}
	if err := checkList(fn, "decoder_inputs", decoderInputs); err != nil {
		return fail(err, len(decoderInputs), n)
	}
	defer tf.VariableScope("embedding_attention_decoder", tf.ReuseInherit)()
	embedded, loop, err := embeddingDecoderSetup(fn, numDecoderSymbols, embeddingSize, o, decoderInputs)
	if err != nil {
		return fail(err, len(decoderInputs), n)
	}
	o.scope = ""
	return attentionDecoder(fn, embedded, encState, attentionStates, cell, outputSize, loop, o)
}
