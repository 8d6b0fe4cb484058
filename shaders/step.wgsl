// Per-step values that change inside one command buffer (copied from the step table by the
// encoder before each step): the rows of this batch, where its indices start in the permutation
// buffer, the 1-based iteration, and Adam's bias-corrected step size.
struct StepInfo {
  rows: u32,
  perm_offset: u32,
  t: u32,
  alpha: f32,
}
