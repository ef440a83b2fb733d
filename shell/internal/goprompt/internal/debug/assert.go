package debug

import (
	"fmt"
	"os"
	"sync"
)

const (
	envAssertPanic = "GO_PROMPT_ENABLE_ASSERT"
)

// The environment is read when an assertion first fails, not at package
// init, which every program that links go-prompt ran.
var (
	assertOnce   sync.Once
	enableAssert bool
)

func assertPanics() bool {
	assertOnce.Do(func() {
		e := os.Getenv(envAssertPanic)
		enableAssert = e == "true" || e == "1"
	})
	return enableAssert
}

// Assert ensures expected condition.
func Assert(cond bool, msg interface{}) {
	if cond {
		return
	}
	if assertPanics() {
		panic(msg)
	}
	writeWithSync(2, "[ASSERT] "+toString(msg))
}

func toString(v interface{}) string {
	switch a := v.(type) {
	case func() string:
		return a()
	case string:
		return a
	case fmt.Stringer:
		return a.String()
	default:
		return fmt.Sprintf("unexpected type, %t", v)
	}
}

// AssertNoError ensures err is nil.
func AssertNoError(err error) {
	if err == nil {
		return
	}
	if assertPanics() {
		panic(err)
	}
	writeWithSync(2, "[ASSERT] "+err.Error())
}
