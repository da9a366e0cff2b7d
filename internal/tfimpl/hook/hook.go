// Package hook is where package tf leaves its engine side for package
// tfimpl. tf cannot import tfimpl (tfimpl imports tf), so tf stores, at
// initialization, a value of an unexported type whose exported methods
// reach tf's unexported state; tfimpl asserts it to an interface naming
// those methods with tf's types. Nothing else may use Engine.
package hook

// Engine is package tf's engine side, set by tf's initialization.
var Engine any
