package nn

// SetGenericOnly makes DynamicRNN build the generic loop even for cells the
// fused loop runs, and returns a function restoring the previous setting.
func SetGenericOnly(on bool) (restore func()) {
	old := genericOnly
	genericOnly = on
	return func() { genericOnly = old }
}

// SetForceStack makes DynamicRNN run a lone BasicRNNCell with the stack
// kernels (rnn_fused_stack.go), and returns a function restoring the
// previous setting.
func SetForceStack(on bool) (restore func()) {
	old := forceStack
	forceStack = on
	return func() { forceStack = old }
}

// SetHoistProducts turns the generic loop's hoisting of the input products
// on or off, and returns a function restoring the previous setting.
func SetHoistProducts(on bool) (restore func()) {
	old := hoistProducts
	hoistProducts = on
	return func() { hoistProducts = old }
}

// SetMinPartRows sets the fewest rows a part of the generic loop's split
// batch runs, lets the batch be split into 3 parts whatever the number of
// cores, and returns a function restoring the previous settings.
func SetMinPartRows(n int) (restore func()) {
	old, oldProcs := minPartRows, loopProcs
	minPartRows = n
	if n < 16 {
		loopProcs = func() int { return 3 }
	}
	return func() { minPartRows, loopProcs = old, oldProcs }
}
