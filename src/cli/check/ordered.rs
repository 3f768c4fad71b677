//! An ordered pipeline for `numlint check`: jobs run on a rayon pool, one per file, and
//! their results are handed back in the order the jobs were submitted, whatever the
//! number of threads or the order they finish in.
//!
//! At most `window` jobs are submitted and not yet handed back (running, queued, or done
//! and waiting for an earlier one), so a directory of many files is streamed: memory
//! holds a few files at a time, never the whole tree.

use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, Sender};

/// Results kept per job in flight: with twice as many as threads, a slow file delays the
/// others' output without idling the pool.
const WINDOW_PER_THREAD: usize = 2;

/// Runs jobs on a pool and hands their results back in submission order.
pub(crate) struct Ordered<T> {
    /// `None` runs each job at once on the calling thread.
    pool: Option<rayon::ThreadPool>,
    /// Most jobs submitted and not yet handed back.
    window: usize,
    /// Index of the next job handed back.
    next_out: usize,
    /// Results of jobs `next_out..`, `None` while a job runs.
    waiting: VecDeque<Option<std::thread::Result<T>>>,
    sender: Sender<(usize, std::thread::Result<T>)>,
    receiver: Receiver<(usize, std::thread::Result<T>)>,
}

impl<T: Send + 'static> Ordered<T> {
    /// A pipeline on `threads` threads (rayon's default when `None`: `RAYON_NUM_THREADS`,
    /// else one per core). One thread means no pool at all: jobs run on the caller.
    pub fn new(threads: Option<usize>) -> std::io::Result<Self> {
        let pool = if threads == Some(1) {
            None
        } else {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .thread_name(|i| format!("numlint-check-{i}"))
                // As deep a stack as the main thread's, where single files are checked.
                .stack_size(8 << 20)
                .build()
                .map_err(std::io::Error::other)?;
            Some(pool).filter(|p| p.current_num_threads() > 1)
        };
        let threads = pool
            .as_ref()
            .map_or(1, rayon::ThreadPool::current_num_threads);
        let (sender, receiver) = mpsc::channel();
        Ok(Ordered {
            pool,
            window: threads * WINDOW_PER_THREAD,
            next_out: 0,
            waiting: VecDeque::new(),
            sender,
            receiver,
        })
    }

    /// Run `job`; hand every result that is next in order to `emit`, waiting for
    /// earlier jobs when the window is full. The first error of `emit` is returned.
    pub fn submit<E>(
        &mut self,
        job: impl FnOnce() -> T + Send + 'static,
        emit: &mut impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(pool) = &self.pool else {
            return emit(job());
        };
        let index = self.next_out + self.waiting.len();
        let sender = self.sender.clone();
        // A panic is carried back to the caller, so it surfaces in order (as it would
        // with one thread) instead of aborting the process from a worker.
        pool.spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            // The receiver lives as long as the pipeline; a send fails only after the
            // caller has given up on the results.
            let _ = sender.send((index, result));
        });
        self.waiting.push_back(None);
        while self.waiting.len() >= self.window {
            self.wait_for_one(emit)?;
        }
        Ok(())
    }

    /// Hand back the results of every submitted job, in order.
    pub fn finish<E>(mut self, emit: &mut impl FnMut(T) -> Result<(), E>) -> Result<(), E> {
        while !self.waiting.is_empty() {
            self.wait_for_one(emit)?;
        }
        Ok(())
    }

    /// Receive one finished job, then emit the results now next in order.
    fn wait_for_one<E>(&mut self, emit: &mut impl FnMut(T) -> Result<(), E>) -> Result<(), E> {
        // Every job holds a sender clone and sends exactly once, and the pipeline holds
        // one more, so this cannot fail while a job is outstanding.
        if let Ok((index, result)) = self.receiver.recv()
            && let Some(slot) = self.waiting.get_mut(index - self.next_out)
        {
            *slot = Some(result);
        }
        while let Some(Some(_)) = self.waiting.front() {
            let Some(Some(result)) = self.waiting.pop_front() else {
                break;
            };
            self.next_out += 1;
            match result {
                Ok(value) => emit(value)?,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs that finish in reverse order of submission still come out in order.
    fn run(threads: Option<usize>, jobs: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut emit = |v: usize| -> Result<(), ()> {
            out.push(v);
            Ok(())
        };
        let mut pipeline = Ordered::new(threads).unwrap();
        for i in 0..jobs {
            pipeline
                .submit(
                    move || {
                        std::thread::sleep(std::time::Duration::from_millis(
                            ((jobs - i) % 4) as u64,
                        ));
                        i
                    },
                    &mut emit,
                )
                .unwrap();
        }
        pipeline.finish(&mut emit).unwrap();
        out
    }

    #[test]
    fn results_come_back_in_submission_order_with_any_thread_count() {
        let expected: Vec<usize> = (0..40).collect();
        assert_eq!(run(Some(1), 40), expected);
        assert_eq!(run(Some(2), 40), expected);
        assert_eq!(run(Some(4), 40), expected);
    }

    #[test]
    fn no_more_than_the_window_waits() {
        let mut pipeline = Ordered::new(Some(3)).unwrap();
        let window = pipeline.window;
        let mut most = 0;
        for i in 0..50 {
            pipeline
                .submit(move || i, &mut |_: usize| -> Result<(), ()> { Ok(()) })
                .unwrap();
            most = most.max(pipeline.waiting.len());
        }
        assert_eq!(window, 6);
        assert!(most < window, "{most} results waited");
    }

    #[test]
    fn emit_errors_stop_the_run() {
        let mut pipeline = Ordered::new(Some(2)).unwrap();
        let mut emit = |v: usize| if v == 3 { Err(v) } else { Ok(()) };
        let mut first_error = None;
        for i in 0..20 {
            if let Err(e) = pipeline.submit(move || i, &mut emit) {
                first_error = Some(e);
                break;
            }
        }
        let first_error = match first_error {
            Some(e) => Some(e),
            None => pipeline.finish(&mut emit).err(),
        };
        assert_eq!(first_error, Some(3));
    }
}
