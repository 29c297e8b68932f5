"""The workshop: start an assessment, score it domain by domain with the room, present it."""
