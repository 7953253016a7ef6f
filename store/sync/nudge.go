package sync

// Nudge asks Run for a round now rather than at the next tick: a counter
// calls it after writing a call, so that the hub (and the waiting room's
// screen) has it within a round trip. It never blocks; nudges while a
// round is due or running make one more round, not one each.
func (s *Syncer) Nudge() {
	select {
	case s.nudges() <- struct{}{}:
	default:
	}
}

// nudges is the channel of Nudge, made on first use.
func (s *Syncer) nudges() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nudge == nil {
		s.nudge = make(chan struct{}, 1)
	}
	return s.nudge
}
