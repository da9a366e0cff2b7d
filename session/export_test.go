package session

import "github.com/gorgoflow/gorgoflow/tf"

// NumPrograms returns how many programs s has compiled and cached for
// Run, for tests of the program cache.
func NumPrograms(s *Session) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.programs.len()
}

// IsCached reports whether s holds the program that runs fetch with feed
// fed a value of the given shape.
func IsCached(s *Session, fetch, feed *tf.Tensor, shape tf.Shape) bool {
	key := programKey([]*tf.Tensor{fetch}, nil, map[*tf.Tensor]tf.Spec{feed: {DType: feed.DType(), Shape: shape}})
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.programs != nil && s.programs.byKey[key] != nil
}

// PoolBytes returns the bytes of buffers s's cached programs keep.
func PoolBytes(s *Session) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.programs.poolBytes()
}

// BufferBudget is the bytes of buffers cached programs keep together.
const BufferBudget = bufferBudget
