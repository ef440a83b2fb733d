package debug

import (
	"os"
	"runtime"
	"strconv"
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
)

func openLog() {
	if e := os.Getenv(envEnableLog); e == "true" || e == "1" {
		f, err := os.OpenFile(logFileName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0666)
		if err == nil {
			logfile = f
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
	_, _ = logfile.Write(logLine(calldepth, msg))
	_ = logfile.Sync() // immediately write msg
}

// Log to output message
func Log(msg string) {
	calldepth := 2
	writeWithSync(calldepth, msg)
}

// logLine is msg as log.New(f, "", log.Llongfile) wrote it, "FILE:LINE: msg"
// and a newline, FILE:LINE being calldepth frames above writeWithSync's
// caller. The log package is not used: its init ran at every start of
// every program that links go-prompt, for a log that is off by default.
func logLine(calldepth int, msg string) []byte {
	_, file, line, ok := runtime.Caller(calldepth)
	if !ok {
		file, line = "???", 0
	}
	b := make([]byte, 0, len(file)+len(msg)+16)
	b = append(b, file...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ": "...)
	b = append(b, msg...)
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		b = append(b, '\n')
	}
	return b
}
