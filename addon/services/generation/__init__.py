"""Board generation: journaled, pipelined and resumable."""
