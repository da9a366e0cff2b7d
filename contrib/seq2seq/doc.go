// Package seq2seq holds TF 1.x's newer sequence-to-sequence API,
// tf.contrib.seq2seq: decoders driven by helpers, attention mechanisms and
// the attention wrapper, and the sequence loss over [batch, time] logits.
// (TF's older tf.contrib.legacy_seq2seq, over lists of steps, is the
// package github.com/gorgoflow/gorgoflow/seq2seq.)
//
// A TF program ports line for line:
//
//	// attention = BahdanauAttention(num_units, memory)
//	attention := seq2seq.NewBahdanauAttention(numUnits, encoderOutputs)
//	// cell = AttentionWrapper(cell, attention, attention_layer_size=n)
//	cell := seq2seq.NewAttentionWrapper(rnn.NewGRUCell(n), attention, seq2seq.AttentionLayerSize(n))
//	// helper = TrainingHelper(inputs, sequence_length)
//	helper := seq2seq.NewTrainingHelper(decoderInputs, lengths)
//	// decoder = BasicDecoder(cell, helper, initial_state, output_layer=Dense(vocab))
//	decoder := seq2seq.NewBasicDecoder(cell, helper, cell.ZeroState(rnn.BatchDim{Of: decoderInputs}, tf.Float32),
//		seq2seq.OutputLayer(layers.NewDense(vocab)))
//	// outputs, state, lengths = dynamic_decode(decoder)
//	outputs, state, lengths := seq2seq.DynamicDecode(decoder)
//	// loss = sequence_loss(outputs.rnn_output, targets, weights)
//	loss := seq2seq.SequenceLoss(outputs.RNNOutput, targets, weights)
//
// # Variables
//
// As TF names them: DynamicDecode runs the decoder in the variable scope
// "decoder" (uniquified, or Scope), so a BasicDecoder's cell makes
// "decoder/<cell>/..." and its output layer "decoder/dense/kernel"; an
// AttentionWrapper's cell makes "decoder/attention_wrapper/<cell>/...", its
// attention layer "decoder/attention_wrapper/attention_layer/kernel" and its
// mechanism "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel"
// and ".../attention_v" (".../attention_g", ".../attention_b" when
// normalized; "luong_attention/attention_g" when scaled), while the
// mechanism's "memory_layer/kernel" is made where the mechanism is
// constructed. Cells, layers and mechanisms keep their variables: a second
// decoder built on the same objects (greedy decoding after training) uses
// the same weights.
//
// # The decoding loop
//
// gorgoflow has no graph-level while loop, so DynamicDecode unrolls the
// decoding loop when the graph is built: it runs MaximumIterations steps,
// or as many steps as a TrainingHelper's inputs have when that is known.
// Within them it follows TF's loop exactly: finished flags, the sequence
// lengths, impute_finished's zeroed outputs and copied states, and the
// state freezing once every sequence has finished. TF's loop stops there,
// so its outputs have max(final_sequence_lengths) steps; the unrolled
// loop's outputs have all the unrolled steps, TF's followed by zeros (sample
// ids 0). Slice them, or mask them with the final sequence lengths, where
// that matters.
//
// An AttentionWrapper's state is a flat list, as every rnncell state:
// the wrapped cell's state tensors, then the attention [batch,
// attention size], then the alignments [batch, memory time]
// (AttentionWrapperState names them). TF's state also holds the time,
// which the decoder counts instead, and with AlignmentHistory the
// alignments of every step: DynamicDecode appends those to the final state
// it returns, stacked time-major [time, batch, memory time], as TF's
// alignment_history.stack().
//
// # Errors
//
// Constructors never panic: a bad argument gives an object or tensors
// carrying an error that names the function and the user's file:line, and
// everything built from them carries it on.
package seq2seq
