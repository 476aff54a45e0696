//! Regression tests, one per reported problem.
