// Package seq2seq holds TF 1.x's tf.contrib.legacy_seq2seq: the
// encoder-decoder models of TF's translation tutorial and of Géron's
// chapter 14, built from rnncell cells over lists of time steps (as
// nn.StaticRNN), with TF's variable names.
//
//   - RNNDecoder, BasicRNNSeq2Seq, TiedRNNSeq2Seq: float inputs [batch,
//     depth] per step.
//   - EmbeddingRNNDecoder, EmbeddingRNNSeq2Seq: integer ids [batch] per
//     step, embedded by the model; FeedPrevious decodes greedily (each step
//     fed the embedding of the previous step's argmax), OutputProjection
//     leaves the projection to the caller.
//   - AttentionDecoder, EmbeddingAttentionSeq2Seq: the same with Bahdanau
//     attention over the encoder's outputs.
//   - SequenceLoss, SequenceLossByExample: the weighted cross-entropy over
//     the decoder's steps.
//
// Models that need an encoder and a decoder of the same cell type take one
// cell and give the encoder a copy (rnncell.Copy), as TF's copy.deepcopy:
// the two make their own variables. TiedRNNSeq2Seq shares one set.
//
// # Errors
//
// Functions never panic: a bad argument (a nil cell, empty input lists,
// sizes that do not fit) gives tensors carrying an error naming the
// function, and for construction-time checks the user's file:line; ids out
// of range are Run-time errors naming the embedding lookup.
package seq2seq
