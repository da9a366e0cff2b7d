package session

// NumPrograms returns how many programs s has compiled and cached for
// Run (loop bodies not counted), for tests of the program cache.
func NumPrograms(s *Session) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.programs)
}

// NumFuncPrograms returns how many loop-body programs s has compiled.
func NumFuncPrograms(s *Session) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.funcs)
}
