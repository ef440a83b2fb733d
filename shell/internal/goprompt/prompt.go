package prompt

import (
	"bytes"
	"os"
	"time"

	"github.com/c-bata/go-prompt/internal/debug"
)

// Executor is called when user input something text.
type Executor func(string)

// ExitChecker is called after user input to check if prompt must stop and exit go-prompt Run loop.
// User input means: selecting/typing an entry, then, if said entry content matches the ExitChecker function criteria:
// - immediate exit (if breakline is false) without executor called
// - exit after typing <return> (meaning breakline is true), and the executor is called first, before exit.
// Exit means exit go-prompt (not the overall Go program)
type ExitChecker func(in string, breakline bool) bool

// Completer should return the suggest item from Document.
type Completer func(Document) []Suggest

// Prompt is core struct of go-prompt.
type Prompt struct {
	in                ConsoleParser
	buf               *Buffer
	renderer          *Render
	executor          Executor
	history           *History
	completion        *CompletionManager
	keyBindings       []KeyBind
	ASCIICodeBindings []ASCIICodeBind
	keyBindMode       KeyBindMode
	completionOnDown  bool
	exitChecker       ExitChecker
	skipTearDown      bool

	// xvirsh fork: readline's line editing (readline.go).
	tab         TabCompleter
	tabs        int // consecutive Tab presses before this key
	killed      string
	search      *search
	paste       []byte // a bracketed paste being read, nil when none
	pasteFilter func(string) string
}

// Exec is the struct contains user input context.
type Exec struct {
	input string
}

// Run starts prompt.
func (p *Prompt) Run() {
	p.skipTearDown = false
	defer debug.Teardown()
	debug.Log("start prompt")
	sigCh, stopSignals := notifySignals()
	defer stopSignals()
	p.setUp()
	defer p.tearDown()

	p.renderer.Render(p.buf, p.completion)

	bufCh := make(chan []byte, 128)
	stopReadBufCh := make(chan struct{})
	go p.readBuffer(bufCh, stopReadBufCh)

	exitCh := make(chan int)
	winSizeCh := make(chan *WinSize)
	stopHandleSignalCh := make(chan struct{})
	go p.handleSignals(sigCh, exitCh, winSizeCh, stopHandleSignalCh)

	for {
		select {
		case b := <-bufCh:
			if shouldExit, e := p.feed(b); shouldExit {
				p.renderer.BreakLine(p.buf)
				stopReadBufCh <- struct{}{}
				stopHandleSignalCh <- struct{}{}
				return
			} else if e != nil {
				// Stop goroutine to run readBuffer function
				stopReadBufCh <- struct{}{}
				stopHandleSignalCh <- struct{}{}

				// Unset raw mode
				// Reset to Blocking mode because returned EAGAIN when still set non-blocking mode.
				debug.AssertNoError(p.in.TearDown())
				p.executor(e.input)

				// Asked before the next prompt is drawn, so that none
				// is left on the screen when the session ends.
				if p.exitChecker != nil && p.exitChecker(e.input, true) {
					p.skipTearDown = true
					return
				}
				// Raw mode before the prompt is drawn (xvirsh fork): a key
				// typed once the prompt shows must reach the editor, not the
				// kernel's cooked echo, or the line shows twice.
				debug.AssertNoError(p.in.Setup())
				// Signals that came while the command ran were its own
				// (Ctrl-C stops a command, not the prompt); with raw mode
				// on, Ctrl-C is a key again and sends none.
				for len(sigCh) > 0 {
					<-sigCh
				}
				p.renderer.Render(p.buf, p.completion)
				go p.readBuffer(bufCh, stopReadBufCh)
				go p.handleSignals(sigCh, exitCh, winSizeCh, stopHandleSignalCh)
			} else {
				p.renderer.Render(p.buf, p.completion)
			}
		case w := <-winSizeCh:
			p.renderer.UpdateWinSize(w)
			p.renderer.Render(p.buf, p.completion)
		case code := <-exitCh:
			p.renderer.BreakLine(p.buf)
			p.tearDown()
			os.Exit(code)
		}
	}
}

func (p *Prompt) feed(b []byte) (shouldExit bool, exec *Exec) {
	if p.readPaste(b) {
		p.tabs = 0
		return false, nil
	}
	key := GetKey(b)
	p.buf.lastKeyStroke = key
	if p.search != nil {
		if !p.searchKey(key, b) {
			return false, nil
		}
		// The key ended the search; it now acts on the line found.
	}
	tabs := p.tabs
	p.tabs = 0

	switch key {
	case Tab, ControlI:
		p.tabs = tabs + 1
		p.completeTab(tabs > 0)
		return false, nil
	case Enter, ControlJ, ControlM:
		p.renderer.BreakLine(p.buf)

		exec = &Exec{input: p.buf.Text()}
		p.buf = NewBuffer()
		if exec.input != "" {
			p.history.Add(exec.input)
		}
	case ControlC:
		p.renderer.BreakLine(p.buf)
		p.buf = NewBuffer()
		p.history.Clear()
	case Up, ControlP:
		if newBuf, changed := p.history.Older(p.buf); changed {
			p.buf = newBuf
		}
	case Down, ControlN:
		if newBuf, changed := p.history.Newer(p.buf); changed {
			p.buf = newBuf
		}
		return
	case ControlD:
		if p.buf.Text() == "" {
			shouldExit = true
			return
		}
	case ControlL:
		p.renderer.ClearScreen()
		return
	case ControlR:
		p.startSearch()
		return
	case ControlZ:
		p.suspend()
		return
	case NotDefined:
		if p.handleASCIICodeBinding(b) {
			return
		}
		if p.editKey(key, b) {
			return
		}
		if text := printable(string(b)); text != "" {
			p.buf.InsertText(text, false, true)
		}
	default:
		if p.editKey(key, b) {
			return
		}
	}

	shouldExit = p.handleKeyBinding(key)
	return
}

func (p *Prompt) handleKeyBinding(key Key) bool {
	shouldExit := false
	for i := range commonKeyBindings {
		kb := commonKeyBindings[i]
		if kb.Key == key {
			kb.Fn(p.buf)
		}
	}

	if p.keyBindMode == EmacsKeyBind {
		for i := range emacsKeyBindings {
			kb := emacsKeyBindings[i]
			if kb.Key == key {
				kb.Fn(p.buf)
			}
		}
	}

	// Custom key bindings
	for i := range p.keyBindings {
		kb := p.keyBindings[i]
		if kb.Key == key {
			kb.Fn(p.buf)
		}
	}
	if p.exitChecker != nil && p.exitChecker(p.buf.Text(), false) {
		shouldExit = true
	}
	return shouldExit
}

func (p *Prompt) handleASCIICodeBinding(b []byte) bool {
	checked := false
	for _, kb := range p.ASCIICodeBindings {
		if bytes.Equal(kb.ASCIICode, b) {
			kb.Fn(p.buf)
			checked = true
		}
	}
	return checked
}

// Input just returns user input text.
func (p *Prompt) Input() string {
	defer debug.Teardown()
	debug.Log("start prompt")
	p.setUp()
	defer p.tearDown()

	p.renderer.Render(p.buf, p.completion)
	bufCh := make(chan []byte, 128)
	stopReadBufCh := make(chan struct{})
	go p.readBuffer(bufCh, stopReadBufCh)

	for {
		select {
		case b := <-bufCh:
			if shouldExit, e := p.feed(b); shouldExit {
				p.renderer.BreakLine(p.buf)
				stopReadBufCh <- struct{}{}
				return ""
			} else if e != nil {
				// Stop goroutine to run readBuffer function
				stopReadBufCh <- struct{}{}
				return e.input
			} else {
				p.renderer.Render(p.buf, p.completion)
			}
		}
	}
}

func (p *Prompt) readBuffer(bufCh chan []byte, stopCh chan struct{}) {
	debug.Log("start reading buffer")
	for {
		select {
		case <-stopCh:
			debug.Log("stop reading buffer")
			return
		default:
			if b, err := p.in.Read(); err == nil && !(len(b) == 1 && b[0] == 0) {
				bufCh <- b
				continue // there may be more: read again at once
			}
		}
		if w, ok := p.in.(InputWaiter); ok {
			w.WaitInput(readPoll)
		} else {
			time.Sleep(readPoll)
		}
	}
}

// readPoll is how often the reader looks for input, and for a stop, when
// the parser cannot wait for input (upstream's 10 ms); with an InputWaiter
// it only bounds how long a stop waits.
const readPoll = 10 * time.Millisecond

func (p *Prompt) setUp() {
	debug.AssertNoError(p.in.Setup())
	p.renderer.Setup()
	p.renderer.UpdateWinSize(p.in.GetWinSize())
}

func (p *Prompt) tearDown() {
	if !p.skipTearDown {
		debug.AssertNoError(p.in.TearDown())
	}
	p.renderer.TearDown()
}
