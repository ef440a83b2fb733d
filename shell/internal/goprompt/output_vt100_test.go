package prompt

import (
	"bytes"
	"testing"
)

func TestVT100WriterWrite(t *testing.T) {
	scenarioTable := []struct {
		input    []byte
		expected []byte
	}{
		{
			input:    []byte{0x1b},
			expected: []byte{'?'},
		},
		{
			input:    []byte{'a'},
			expected: []byte{'a'},
		},
	}

	for _, s := range scenarioTable {
		pw := &VT100Writer{}
		pw.Write(s.input)

		if !bytes.Equal(pw.buffer, s.expected) {
			t.Errorf("Should be %+#v, but got %+#v", pw.buffer, s.expected)
		}
	}
}

func TestVT100WriterWriteStr(t *testing.T) {
	scenarioTable := []struct {
		input    string
		expected []byte
	}{
		{
			input:    "\x1b",
			expected: []byte{'?'},
		},
		{
			input:    "a",
			expected: []byte{'a'},
		},
	}

	for _, s := range scenarioTable {
		pw := &VT100Writer{}
		pw.WriteStr(s.input)

		if !bytes.Equal(pw.buffer, s.expected) {
			t.Errorf("Should be %+#v, but got %+#v", pw.buffer, s.expected)
		}
	}
}

func TestVT100WriterWriteRawStr(t *testing.T) {
	scenarioTable := []struct {
		input    string
		expected []byte
	}{
		{
			input:    "\x1b",
			expected: []byte{0x1b},
		},
		{
			input:    "a",
			expected: []byte{'a'},
		},
	}

	for _, s := range scenarioTable {
		pw := &VT100Writer{}
		pw.WriteRawStr(s.input)

		if !bytes.Equal(pw.buffer, s.expected) {
			t.Errorf("Should be %+#v, but got %+#v", pw.buffer, s.expected)
		}
	}
}

func TestVT100WriterSetDisplayAttributes(t *testing.T) {
	fg := []string{"39", "30", "31", "32", "33", "34", "35", "36", "37", "90", "91", "92", "93", "94", "95", "96", "97"}
	bg := []string{"49", "40", "41", "42", "43", "44", "45", "46", "47", "100", "101", "102", "103", "104", "105", "106", "107"}
	for c := DefaultColor; c <= White; c++ {
		w := &VT100Writer{}
		w.SetColor(c, White-c, false)
		if want := "\x1b[0;" + fg[c] + ";" + bg[White-c] + "m"; string(w.buffer) != want {
			t.Errorf("SetColor(%d, %d): %q, want %q", c, White-c, w.buffer, want)
		}
	}
	for _, tc := range []struct {
		fg, bg Color
		attrs  []DisplayAttribute
		want   string
	}{
		{Red, Blue, []DisplayAttribute{DisplayBold, DisplayUnderline}, "\x1b[1;4;91;104m"},
		{Black, DefaultColor, []DisplayAttribute{DisplayReset, DisplayLowIntensity, DisplayItalic, DisplayBlink,
			DisplayRapidBlink, DisplayReverse, DisplayInvisible, DisplayCrossedOut, DisplayDefaultFont}, "\x1b[0;2;3;5;6;7;8;9;10;30;49m"},
		// An unknown colour is the default one; an unknown attribute is left out.
		{White + 1, -1, []DisplayAttribute{-1, DisplayDefaultFont + 1, DisplayBold}, "\x1b[1;39;49m"},
		{-1, White + 1, nil, "\x1b[39;49m"},
	} {
		w := &VT100Writer{}
		w.SetDisplayAttributes(tc.fg, tc.bg, tc.attrs...)
		if string(w.buffer) != tc.want {
			t.Errorf("SetDisplayAttributes(%d, %d, %v): %q, want %q", tc.fg, tc.bg, tc.attrs, w.buffer, tc.want)
		}
	}
}
