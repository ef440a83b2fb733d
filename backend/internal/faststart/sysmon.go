package faststart

// The runtime's monitor thread, sysmon, sleeps 20 µs at a time while the
// program is busy and backs off only after a millisecond of finding
// nothing to do (sysmon in runtime/proc.go). Linux wakes a sleeping thread
// on the CPU it last ran on unless an idle CPU shares that one's cache,
// and these VMs describe no cache to the kernel: sysmon, started on the
// main thread's CPU, preempted the main thread every 90-100 µs of a
// one-shot `list` (perf record -e sched:sched_switch), two context
// switches each time, while the other CPU was idle.
//
// A SCHED_BATCH thread does not preempt the one running when it wakes
// (sched(7)): sysmon then runs when the CPU's current slice ends, or on
// the idle CPU, where the load balancer soon moves it. Its work, taking a
// P back from a thread blocked in a system call, preempting a goroutine
// that has run 10 ms, polling the network when no P does, bears that
// delay. In 15 traced one-shot `list`s the main thread was preempted 128
// times instead of 387, those left coming before this init; the wall time
// saved is within the noise of runs in turn with virsh.
//
// Only sysmon is given the policy, but a thread inherits its creator's,
// and sysmon starts threads of its own when it hands a P on (retake): in
// a long shell session some of the threads that run goroutines are batch
// ones too. Such a thread, woken with its CPU busy, waits for the running
// one's slice, a few milliseconds at most, rather than preempting it; the
// threads the main thread and the others start keep the default.
func quietSysmon() {
	if tid := sysmonTID(); tid != 0 {
		setBatch(tid)
	}
}

// sysmonTID finds the monitor thread among the process's threads: 0 when
// /proc cannot tell. runtime.main starts it before any init runs and
// before any other thread, and Linux hands out thread IDs in increasing
// order, so it has the lowest ID after the main thread's, on which the
// inits run. Should the ID counter wrap between the two, another thread
// is picked, which changes only how soon that one preempts on waking.
func sysmonTID() int {
	fd := openDir("/proc/self/task\x00")
	if fd < 0 {
		return 0
	}
	defer closeFD(fd)
	self, low := gettid(), 0
	var buf [512]byte
	for {
		n := getdents(fd, buf[:])
		if n <= 0 {
			return low
		}
		eachDirent(buf[:n], func(name []byte) {
			if t := atoi(name); t > 0 && t != self && (low == 0 || t < low) {
				low = t
			}
		})
	}
}

// eachDirent calls f with the name of each linux_dirent64 in b
// (getdents64(2)): a 19-byte header, whose bytes 16-17 hold the record's
// length (little-endian: the calls are made on amd64 only), then the name
// and a NUL.
func eachDirent(b []byte, f func(name []byte)) {
	for len(b) >= 20 {
		reclen := int(b[16]) | int(b[17])<<8
		if reclen < 20 || reclen > len(b) {
			return
		}
		name := b[19:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		f(name)
		b = b[reclen:]
	}
}

// atoi reads a thread ID; 0 for anything else ("." and "..").
func atoi(s []byte) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<30 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
