package debug

import (
	"log"
	"os"
	"sync"
)

const (
	envEnableLog = "GO_PROMPT_ENABLE_LOG"
	logFileName  = "go-prompt.log"
)

// The log is opened on first use, not at package init: every program
// that links go-prompt ran that init, prompt or not.
var (
	logOnce sync.Once
	logfile *os.File
	logger  *log.Logger
)

func openLog() {
	if e := os.Getenv(envEnableLog); e == "true" || e == "1" {
		f, err := os.OpenFile(logFileName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0666)
		if err == nil {
			logfile, logger = f, log.New(f, "", log.Llongfile)
		}
	}
}

// Teardown to close logfile
func Teardown() {
	// A log not opened yet stays closed: nothing goes to it after this.
	logOnce.Do(func() {})
	if logfile == nil {
		return
	}
	_ = logfile.Close()
}

func writeWithSync(calldepth int, msg string) {
	calldepth++
	logOnce.Do(openLog)
	if logfile == nil {
		return
	}
	_ = logger.Output(calldepth, msg)
	_ = logfile.Sync() // immediately write msg
}

// Log to output message
func Log(msg string) {
	calldepth := 2
	writeWithSync(calldepth, msg)
}
